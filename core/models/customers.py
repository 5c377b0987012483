"""Customers (minimal: the ledger needs an owner; KYC grows this later)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

CUSTOMER_KINDS = ("person", "organisation")


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'organisation')", name="kind"),
        Index("ix_customers_national_id", "national_id"),
        Index("ix_customers_full_name", "full_name"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    full_name: Mapped[str] = mapped_column(String(200))
    # date of birth for a person, of incorporation for an organisation
    born_on: Mapped[date | None] = mapped_column(Date)
    national_id: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    # KYC documents expire; the teller desk warns (see services/teller/lookup.py).
    kyc_expires_on: Mapped[date | None] = mapped_column(Date)
    # PostgreSQL only: full_name lower-cased and accent-folded, kept by a trigger for the
    # trigram lookup (core/search_index.py); SQLite searches names through FTS5 instead.
    name_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
