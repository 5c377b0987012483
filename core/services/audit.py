"""Append hash-chained audit events in the caller's transaction.

Each workstation writes its own chain (audit_chains row = head). An event's hash is
sha256(prev_hash || digest) where digest = sha256(canonical encoding of the event); the database
computes the outer sha256 while it bumps the head, so appending costs no extra read.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from core.clock import Clock
from core.models.audit import AuditChain, AuditEvent
from core.unit_of_work import UnitOfWork

_INSERT_EVENT = insert(AuditEvent)


def genesis_hash(chain_id: str) -> bytes:
    return hashlib.sha256(b"cbs-audit-genesis:" + chain_id.encode()).digest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_digest(
    *, chain_id: str, occurred_at: datetime, actor: str, workstation: str, action: str,
    entity_type: str, entity_id: str, outcome: str, correlation_id: str, payload: str,
) -> bytes:
    fields = [chain_id, occurred_at.isoformat(timespec="microseconds"), actor, workstation,
              action, entity_type, entity_id, outcome, correlation_id, payload]
    return hashlib.sha256(canonical_json(fields).encode()).digest()


def chain_hash(prev_hash: bytes, digest: bytes) -> bytes:
    return hashlib.sha256(prev_hash + digest).digest()


def ensure_chain(engine: Engine, workstation: str, clock: Clock) -> None:
    """Create this workstation's chain head once; harmless when it exists.

    Threads or processes of one workstation may start at the same moment: the insert gives way
    to a head another one created meanwhile instead of failing on the primary key.
    """
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    with engine.begin() as conn:
        found = conn.execute(
            select(AuditChain.chain_id).where(AuditChain.chain_id == workstation)
        ).first()
        if found is None:
            conn.execute(upsert(AuditChain).values(
                chain_id=workstation, workstation=workstation, started_at=clock.now(),
                last_seq=0, last_hash=genesis_hash(workstation),
            ).on_conflict_do_nothing(index_elements=["chain_id"]))


def next_hash_sql(dialect: str, prev: str, digest: str) -> str:
    """SQL for sha256(prev || digest): PostgreSQL built-in, SQLite through our registered function."""
    if dialect == "postgresql":
        return f"sha256({prev} || {digest})"
    return f"cbs_chain_hash({prev}, {digest})"


@lru_cache(maxsize=4)
def _bump_head_sql(dialect: str) -> Any:
    return text(
        "UPDATE audit_chains SET last_seq = last_seq + 1, "
        f"last_hash = {next_hash_sql(dialect, 'last_hash', ':digest')} "
        "WHERE chain_id = :chain_id RETURNING last_seq, last_hash"
    )


def event_row(uow: UnitOfWork, *, action: str, entity_type: str, entity_id: str | int,
              payload: dict[str, Any], outcome: str = "ok",
              actor: str | None = None) -> tuple[dict[str, Any], bytes]:
    """The row values (without seq/hash) and its digest; `actor` names who acted when the
    session's actor is not that person yet (a login is recorded under the user logging in)."""
    row = {
        "chain_id": uow.workstation,
        "occurred_at": uow.clock.now(),
        "actor": (actor or uow.actor.username)[:64],
        "workstation": uow.workstation,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "outcome": outcome,
        "correlation_id": uow.correlation_id,
        "payload": canonical_json(payload),
    }
    return row, event_digest(**row)


def append(uow: UnitOfWork, *, action: str, entity_type: str, entity_id: str | int,
           payload: dict[str, Any], outcome: str = "ok", actor: str | None = None) -> int:
    """Append one event in the current transaction; returns its sequence number in the chain."""
    row, digest = event_row(uow, action=action, entity_type=entity_type, entity_id=entity_id,
                            payload=payload, outcome=outcome, actor=actor)
    head = uow.conn.execute(_bump_head_sql(uow.dialect),
                            {"digest": digest, "chain_id": uow.workstation}).one()
    # one statement object with parameters: compiled once, not rebuilt per event
    uow.conn.execute(_INSERT_EVENT, {**row, "seq": head.last_seq, "hash": bytes(head.last_hash)})
    return int(head.last_seq)


def record_refusal(uow: UnitOfWork, *, action: str, entity_type: str, entity_id: str,
                   payload: dict[str, Any]) -> int:
    """The audit event of a refused use case, written in its own transaction after the refusal."""
    return append(uow, action=action, entity_type=entity_type, entity_id=entity_id,
                  payload=payload, outcome="refused")
