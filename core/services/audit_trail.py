"""Reading the audit trail: chain verification, chain status, filtered pages and exports.

Verification recomputes every event's digest and chain hash exactly as audit.append built them
(event_digest, then sha256(prev_hash || digest), which the database computed on insert) and
compares the chain head, so an edited, deleted, inserted or reordered event is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from core import limits
from core.dto import AuditEventDTO, AuditPageDTO, ChainProblemDTO, ChainStatusDTO
from core.models.audit import AuditChain, AuditEvent
from core.services import audit, authz
from core.unit_of_work import UnitOfWork

_DIGEST_FIELDS = ("chain_id", "occurred_at", "actor", "workstation", "action", "entity_type",
                  "entity_id", "outcome", "correlation_id", "payload")


@dataclass
class _Walk:
    chain_id: str
    expected_seq: int = 1
    prev_hash: bytes = b""
    checked: int = 0
    last_at: datetime | None = None
    problem: ChainProblemDTO | None = None

    def fail(self, seq: int | None, event_id: int | None, what: str) -> None:
        if self.problem is None:
            self.problem = ChainProblemDTO(self.chain_id, seq, event_id, what)


def _check_row(walk: _Walk, row: Any) -> None:
    if row.seq != walk.expected_seq:
        kind = "missing (deleted)" if row.seq > walk.expected_seq else "out of order"
        walk.fail(row.seq, row.id, f"sequence broken: expected seq {walk.expected_seq}, found "
                                   f"seq {row.seq}; events are {kind}")
    digest = audit.event_digest(**{f: getattr(row, f) for f in _DIGEST_FIELDS})
    if audit.chain_hash(walk.prev_hash, digest) != bytes(row.hash):
        walk.fail(row.seq, row.id, "hash mismatch: the event was edited, inserted or moved "
                                   "(its content and predecessor do not give its stored hash)")
    walk.prev_hash = bytes(row.hash)
    walk.expected_seq = row.seq + 1
    walk.checked += 1
    walk.last_at = row.occurred_at


def _walk_chain(uow: UnitOfWork, head: AuditChain) -> _Walk:
    walk = _Walk(head.chain_id, prev_hash=audit.genesis_hash(head.chain_id))
    after = 0
    cols = [AuditEvent.id, AuditEvent.seq, AuditEvent.hash,
            *(getattr(AuditEvent, f) for f in _DIGEST_FIELDS)]
    while True:
        rows = uow.conn.execute(
            select(*cols).where(AuditEvent.chain_id == head.chain_id, AuditEvent.seq > after)
            .order_by(AuditEvent.seq).limit(limits.MAX_AUDIT_VERIFY_BATCH)).all()
        for row in rows:
            _check_row(walk, row)
        if len(rows) < limits.MAX_AUDIT_VERIFY_BATCH:
            break
        after = rows[-1].seq
    last_seq = walk.expected_seq - 1
    if last_seq < head.last_seq:
        walk.fail(last_seq + 1, None, f"chain head is at seq {head.last_seq} but the last event "
                                      f"is seq {last_seq}: events were deleted")
    elif last_seq > head.last_seq:
        walk.fail(head.last_seq + 1, None, f"events beyond the chain head (seq {head.last_seq}) "
                                           "were inserted")
    elif walk.prev_hash != bytes(head.last_hash):
        walk.fail(last_seq, None, "the last event's hash differs from the chain head's")
    return walk


def verify_chains(uow: UnitOfWork) -> list[ChainStatusDTO]:
    """Every chain checked from its genesis; each with its first problem (None when intact)."""
    authz.require(uow, "audit.view")
    heads = uow.session.execute(select(AuditChain).order_by(AuditChain.chain_id)).scalars().all()
    out = []
    for head in heads:
        walk = _walk_chain(uow, head)
        out.append(ChainStatusDTO(head.chain_id, head.workstation, head.last_seq, walk.checked,
                                  walk.last_at, walk.problem))
    orphans = uow.conn.execute(
        select(AuditEvent.chain_id, func.min(AuditEvent.seq), func.min(AuditEvent.id))
        .where(AuditEvent.chain_id.not_in(select(AuditChain.chain_id)))
        .group_by(AuditEvent.chain_id)).all()
    for chain_id, seq, event_id in orphans:
        out.append(ChainStatusDTO(chain_id, "", 0, 0, None, ChainProblemDTO(
            chain_id, seq, event_id, "events of a chain that has no head")))
    return out


def chain_status(uow: UnitOfWork) -> list[ChainStatusDTO]:
    """Cheap status for a screen: heads and counts, without re-hashing (use verify_chains)."""
    authz.require(uow, "audit.view")
    stats = dict((c, (n, at)) for c, n, at in uow.conn.execute(
        select(AuditEvent.chain_id, func.count(), func.max(AuditEvent.occurred_at))
        .group_by(AuditEvent.chain_id)).all())
    heads = uow.session.execute(select(AuditChain).order_by(AuditChain.chain_id)).scalars()
    return [ChainStatusDTO(h.chain_id, h.workstation, h.last_seq, stats.get(h.chain_id, (0,))[0],
                           stats.get(h.chain_id, (0, None))[1], None) for h in heads]


def _dto(e: Any) -> AuditEventDTO:
    return AuditEventDTO(e.id, e.chain_id, e.seq, e.occurred_at, e.actor, e.workstation,
                         e.action, e.entity_type, e.entity_id, e.outcome, e.payload)


def _filtered(q: Any, *, user: str | None, date_from: datetime | None,
              date_to: datetime | None, entity_type: str | None, entity_id: str | None,
              action: str | None, outcome: str | None) -> Any:
    if user:
        q = q.where(AuditEvent.actor == user)
    if date_from is not None:
        q = q.where(AuditEvent.occurred_at >= date_from)
    if date_to is not None:
        q = q.where(AuditEvent.occurred_at < date_to)
    if entity_type:
        q = q.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        q = q.where(AuditEvent.entity_id == str(entity_id))
    if action:
        # "users." matches every users.* action; otherwise the exact action
        q = q.where(AuditEvent.action.startswith(action, autoescape=True) if action.endswith(".")
                    else AuditEvent.action == action)
    if outcome:
        q = q.where(AuditEvent.outcome == outcome)
    return q


def query_events(uow: UnitOfWork, *, user: str | None = None,
                 date_from: datetime | None = None, date_to: datetime | None = None,
                 entity_type: str | None = None, entity_id: str | None = None,
                 action: str | None = None, outcome: str | None = None,
                 before_id: int | None = None,
                 limit: int = limits.MAX_PAGE_ROWS) -> AuditPageDTO:
    """Newest first, one keyset page; `user` is who acted; date_to is exclusive."""
    authz.require(uow, "audit.view")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = _filtered(select(AuditEvent), user=user, date_from=date_from, date_to=date_to,
                  entity_type=entity_type, entity_id=entity_id, action=action, outcome=outcome)
    if before_id is not None:
        q = q.where(AuditEvent.id < before_id)
    rows = uow.session.execute(q.order_by(AuditEvent.id.desc()).limit(limit + 1)).scalars().all()
    page = tuple(_dto(e) for e in rows[:limit])
    return AuditPageDTO(page, page[-1].event_id if len(rows) > limit else None)


def export_page(uow: UnitOfWork, *, date_from: datetime | None = None,
                date_to: datetime | None = None, after_id: int = 0,
                limit: int = limits.MAX_AUDIT_VERIFY_BATCH) -> list[AuditEventDTO]:
    """Oldest first from after_id: an export reads page after page of this."""
    authz.require(uow, "audit.export")
    limit = max(1, min(limit, limits.MAX_AUDIT_VERIFY_BATCH))
    q = _filtered(select(AuditEvent).where(AuditEvent.id > after_id), user=None,
                  date_from=date_from, date_to=date_to, entity_type=None, entity_id=None,
                  action=None, outcome=None)
    return [_dto(e) for e in uow.session.execute(q.order_by(AuditEvent.id).limit(limit)).scalars()]


def record_export(uow: UnitOfWork, *, fmt: str, rows: int, date_from: str | None,
                  date_to: str | None, target: str) -> None:
    """Who exported what: an export is itself an audited act."""
    authz.require(uow, "audit.export")
    audit.append(uow, action="audit.export", entity_type="audit", entity_id=fmt,
                 payload={"rows": rows, "from": date_from, "to": date_to, "target": target})


def bank_name(uow: UnitOfWork) -> str:
    """For report headers: the bank's name, or a neutral one before set-up."""
    from core.models.org import BankCalendar

    cal = uow.session.get(BankCalendar, 1)
    return cal.bank_name if cal is not None else "CBS Python"
