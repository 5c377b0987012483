"""Maker-checker: which actions need a second person (rules) and the requests waiting for one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

REQUEST_STATUSES = ("pending", "approved", "refused")


class ApprovalRule(Base):
    """An action needs approval; with a threshold, only at or above that amount in that currency."""

    __tablename__ = "approval_rules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    action: Mapped[str] = mapped_column(String(64), unique=True)
    threshold_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
        Index("ix_approval_requests_status", "status", "id"),
        Index("ix_approval_requests_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    # canonical JSON of the validated parameters (secrets already hashed)
    params: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(300))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    maker: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checker: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(300))
    # JSON of what the executed action returned (ids), for the record
    result: Mapped[str | None] = mapped_column(Text)
