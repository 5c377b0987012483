"""Export of the audit trail from the desktop (runs on a worker): CSV or PDF, itself audited."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import limits
from core.dto import AuditEventDTO
from core.services import audit_trail
from core.unit_of_work import Actor, CoreContext

CSV_COLUMNS = ("id", "chain_id", "seq", "occurred_at_utc", "actor", "workstation", "action",
               "entity_type", "entity_id", "outcome", "payload")


def write_csv(path: Path, events: list[AuditEventDTO]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for e in events:
            w.writerow((e.event_id, e.chain_id, e.seq,
                        e.occurred_at.isoformat(timespec="microseconds"), e.actor, e.workstation,
                        e.action, e.entity_type, e.entity_id, e.outcome, e.payload))


@dataclass(frozen=True)
class ExportTask:
    ctx: CoreContext
    actor: Actor
    path: Path
    date_from: datetime | None
    date_to: datetime | None  # exclusive

    def __call__(self) -> int:
        """Rows written; the export is recorded in the audit trail."""
        events: list[AuditEventDTO] = []
        after = 0
        while len(events) < limits.MAX_AUDIT_EXPORT_ROWS:
            page = self.ctx.read(audit_trail.export_page, self.actor, date_from=self.date_from,
                                 date_to=self.date_to, after_id=after)
            events.extend(page)
            if len(page) < limits.MAX_AUDIT_VERIFY_BATCH:
                break
            after = page[-1].event_id
        events = events[: limits.MAX_AUDIT_EXPORT_ROWS]
        fmt = "pdf" if self.path.suffix.lower() == ".pdf" else "csv"
        period = (f"{self.date_from:%Y-%m-%d}" if self.date_from else "start") + " to " + (
            f"{self.date_to:%Y-%m-%d} (exclusive)" if self.date_to else "now")
        if fmt == "csv":
            write_csv(self.path, events)
        else:
            from core.reports.audit_pdf import write_pdf

            chains = self.ctx.read(audit_trail.verify_chains, self.actor)
            bad = sum(1 for c in chains if c.problem)
            summary = (f"{len(chains)} verified intact" if not bad
                       else f"{bad} of {len(chains)} BROKEN")
            write_pdf(self.path, events,
                      bank_name=self.ctx.read(audit_trail.bank_name, self.actor),
                      period=period, generated_at=self.ctx.clock.now(), chain_summary=summary)
        self.ctx.run(audit_trail.record_export, self.actor, fmt=fmt, rows=len(events),
                     date_from=self.date_from.isoformat() if self.date_from else None,
                     date_to=self.date_to.isoformat() if self.date_to else None,
                     target=str(self.path))
        return len(events)
