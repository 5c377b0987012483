"""Hash-chained audit events, one chain per workstation so tellers never wait on one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime


class AuditChain(Base):
    """The head of a chain: deleting the newest events is caught by comparing with it."""

    __tablename__ = "audit_chains"

    chain_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("chain_id", "seq", name="uq_audit_events_chain_seq"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_entity", "entity_type", "entity_id"),
        Index("ix_audit_events_actor", "actor"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chain_id: Mapped[str] = mapped_column(ForeignKey("audit_chains.chain_id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # ok | refused
    correlation_id: Mapped[str] = mapped_column(String(36))
    # Canonical JSON (sorted keys) of before/after values and details.
    payload: Mapped[str] = mapped_column(Text)
    # sha256(prev_hash || sha256(canonical event)); verified by `cbs audit verify`.
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
