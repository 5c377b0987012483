"""`cbs audit verify|export|status`: check the hash chains, export for auditors."""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.commands.common import add_url, context_of
from core import limits
from core.dto import AuditEventDTO, ChainStatusDTO
from core.services import audit_trail
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext

CSV_COLUMNS = ("id", "chain_id", "seq", "occurred_at_utc", "actor", "workstation", "action",
               "entity_type", "entity_id", "outcome", "payload")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="audit trail: verify the hash chains, export")
    asub = p.add_subparsers(dest="audit_command", required=True)
    ver = asub.add_parser("verify", help="recompute every chain; non-zero exit on tampering")
    add_url(ver)
    ver.set_defaults(func=_verify)
    st = asub.add_parser("status", help="chain heads and event counts (no re-hashing)")
    add_url(st)
    st.set_defaults(func=_status)
    ex = asub.add_parser("export", help="export events as CSV or PDF")
    add_url(ex)
    ex.add_argument("--format", choices=("csv", "pdf"), required=True)
    ex.add_argument("--from", dest="date_from", type=date.fromisoformat,
                    help="first day (UTC, YYYY-MM-DD)")
    ex.add_argument("--to", dest="date_to", type=date.fromisoformat,
                    help="last day, inclusive (UTC, YYYY-MM-DD)")
    ex.add_argument("--out", required=True, type=Path)
    ex.set_defaults(func=_export)


def describe_problem(c: ChainStatusDTO) -> str:
    p = c.problem
    assert p is not None
    seq = "-" if p.seq is None else str(p.seq)
    event = "-" if p.event_id is None else str(p.event_id)
    return f"chain {p.chain_id} seq {seq} event id {event}: {p.problem}"


def _verify(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    chains = ctx.read(audit_trail.verify_chains, SYSTEM)
    bad = [c for c in chains if c.problem is not None]
    total = sum(c.events_checked for c in chains)
    for c in bad:
        print(f"TAMPERED: {describe_problem(c)}")
    if bad:
        print(f"audit trail BROKEN: {len(bad)} of {len(chains)} chains fail ({total} events read)")
        return 1
    print(f"audit trail intact: {len(chains)} chains, {total} events verified")
    for c in chains:
        print(f"  {c.chain_id}: {c.events_checked} events, head seq {c.head_seq}")
    return 0


def _status(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    for c in ctx.read(audit_trail.chain_status, SYSTEM):
        at = c.last_event_at.isoformat(timespec="seconds") if c.last_event_at else "-"
        print(f"{c.chain_id}\thead seq {c.head_seq}\tevents {c.events_checked}\tlast {at}")
    return 0


def _bounds(args: argparse.Namespace) -> tuple[datetime | None, datetime | None]:
    start = datetime.combine(args.date_from, time(0), UTC) if args.date_from else None
    end = (datetime.combine(args.date_to + timedelta(days=1), time(0), UTC)
           if args.date_to else None)
    return start, end


def read_events(ctx: CoreContext, start: datetime | None,
                end: datetime | None) -> list[AuditEventDTO]:
    rows: list[AuditEventDTO] = []
    after = 0
    while len(rows) < limits.MAX_AUDIT_EXPORT_ROWS:
        page = ctx.read(audit_trail.export_page, SYSTEM, date_from=start, date_to=end,
                        after_id=after)
        rows.extend(page)
        if len(page) < limits.MAX_AUDIT_VERIFY_BATCH:
            break
        after = page[-1].event_id
    return rows[: limits.MAX_AUDIT_EXPORT_ROWS]


def write_csv(path: Path, events: list[AuditEventDTO]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for e in events:
            w.writerow((e.event_id, e.chain_id, e.seq,
                        e.occurred_at.isoformat(timespec="microseconds"), e.actor, e.workstation,
                        e.action, e.entity_type, e.entity_id, e.outcome, e.payload))


def _export(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    start, end = _bounds(args)
    events = read_events(ctx, start, end)
    period = f"{args.date_from or 'start'} to {args.date_to or 'now'}"
    if args.format == "csv":
        write_csv(args.out, events)
    else:
        from core.reports.audit_pdf import write_pdf

        chains = ctx.read(audit_trail.verify_chains, SYSTEM)
        bad = sum(1 for c in chains if c.problem)
        summary = f"{len(chains)} verified intact" if not bad else f"{bad} of {len(chains)} BROKEN"
        bank = ctx.read(audit_trail.bank_name, SYSTEM)
        write_pdf(args.out, events, bank_name=bank, period=period,
                  generated_at=ctx.clock.now(), chain_summary=summary)
    ctx.run(audit_trail.record_export, SYSTEM, fmt=args.format, rows=len(events),
            date_from=str(args.date_from) if args.date_from else None,
            date_to=str(args.date_to) if args.date_to else None, target=str(args.out))
    print(f"{len(events)} events written to {args.out} ({period})")
    return 0
