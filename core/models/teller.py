"""Teller desk: vaults and tills per branch, till sessions, counts, cash movements,
teller transactions and receipts.

A till's cash in each currency is a GL asset account of its own (created from the branch); the
vault's cash is the branch's hot GL 1000 account. Money only moves through journal entries:
these tables record who did what at the desk and point at the entries.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

SESSION_STATUSES = ("open", "closed")
MOVEMENT_STATUSES = ("pending", "confirmed", "cancelled")


class Vault(Base):
    __tablename__ = "vaults"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Till(Base):
    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("branch_id", "code", name="uq_tills_branch_code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TillCurrency(Base):
    """One currency a till holds: its own GL cash account and its cash limit."""

    __tablename__ = "till_currencies"
    __table_args__ = (CheckConstraint("cash_limit_minor >= 0", name="limit_non_negative"),)

    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    cash_limit_minor: Mapped[int] = mapped_column(BigInteger)


class TillSession(Base):
    __tablename__ = "till_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        # At most one open session per till, enforced by the database.
        Index("uq_till_sessions_open_till", "till_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_till_sessions_till_id", "till_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id"))
    teller: Mapped[str] = mapped_column(String(64))
    business_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_supervisor: Mapped[str | None] = mapped_column(String(64))
    close_note: Mapped[str | None] = mapped_column(String(500))
    variance_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    close_key: Mapped[str | None] = mapped_column(String(64))  # idempotency key of the close


class TillSessionBalance(Base):
    """Per currency: the counted opening, and at close the expected, counted and variance."""

    __tablename__ = "till_session_balances"

    session_id: Mapped[int] = mapped_column(ForeignKey("till_sessions.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    opening_minor: Mapped[int] = mapped_column(BigInteger)
    expected_minor: Mapped[int | None] = mapped_column(BigInteger)
    counted_minor: Mapped[int | None] = mapped_column(BigInteger)
    variance_minor: Mapped[int | None] = mapped_column(BigInteger)


class TillCount(Base):
    """A count by denomination: at opening and the blind count at closing."""

    __tablename__ = "till_counts"
    __table_args__ = (
        CheckConstraint("phase IN ('open', 'close')", name="phase"),
        CheckConstraint("pieces >= 0", name="pieces_non_negative"),
        CheckConstraint("denomination_minor > 0", name="denomination_positive"),
        UniqueConstraint("session_id", "phase", "currency", "denomination_minor",
                         name="uq_till_counts_piece"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("till_sessions.id"))
    phase: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    denomination_minor: Mapped[int] = mapped_column(BigInteger)
    pieces: Mapped[int] = mapped_column(Integer)


class CashMovement(Base):
    """Cash between a till and the vault or another till: pending until the receiver confirms.

    Sending posts source -> GL 1010 (in transit); confirming posts GL 1010 -> destination.
    A till side of None is the branch vault.
    """

    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'confirmed', 'cancelled')", name="status"),
        CheckConstraint("amount_minor > 0", name="positive"),
        CheckConstraint("from_till_id IS NOT NULL OR to_till_id IS NOT NULL", name="has_till"),
        Index("ix_cash_movements_branch_status", "branch_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    from_till_id: Mapped[int | None] = mapped_column(ForeignKey("tills.id"))
    to_till_id: Mapped[int | None] = mapped_column(ForeignKey("tills.id"))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    sent_by: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    send_entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"))
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))


class TellerTransaction(Base):
    __tablename__ = "teller_transactions"
    __table_args__ = (
        CheckConstraint("kind IN ('deposit', 'withdrawal', 'transfer')", name="kind"),
        CheckConstraint("amount_minor > 0 AND fee_minor >= 0", name="amounts"),
        Index("ix_teller_transactions_session_id", "session_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("till_sessions.id"))
    kind: Mapped[str] = mapped_column(String(12))
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    counter_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    fee_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    teller: Mapped[str] = mapped_column(String(64))
    business_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    override_by: Mapped[str | None] = mapped_column(String(64))
    override_via: Mapped[str | None] = mapped_column(String(16))  # on_the_spot | inbox
    reversal_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    reversed_by: Mapped[str | None] = mapped_column(String(64))
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversal_reason: Mapped[str | None] = mapped_column(String(500))


class Receipt(Base):
    """How often a transaction's receipt was printed: every print after the first is a DUPLICATE."""

    __tablename__ = "receipts"

    teller_transaction_id: Mapped[int] = mapped_column(
        ForeignKey("teller_transactions.id"), primary_key=True)
    printed_count: Mapped[int] = mapped_column(Integer, default=0)
    first_printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_printed_by: Mapped[str] = mapped_column(String(64))


class CustomerMedia(Base):
    """The customer's photo and specimen signature (shown before a withdrawal), kept off-row."""

    __tablename__ = "customer_media"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_mime: Mapped[str | None] = mapped_column(String(40))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_mime: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
