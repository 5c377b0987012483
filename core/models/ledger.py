"""Accounts, balances, holds, journal entries and postings.

Sign convention: a posting's amount_minor is debit-positive (credit negative); the postings of an
entry sum to zero per currency. An account's balance_minor is kept on its natural side
(normal_sign = +1 for asset/expense, -1 for liability/equity/income): balance += amount * sign.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

GL_TYPES = ("asset", "liability", "equity", "income", "expense")
ACCOUNT_STATUSES = ("active", "dormant", "frozen", "closed")


class Account(Base):
    """Customer accounts and GL accounts share one table so a posting path fits all."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('customer', 'gl')", name="kind"),
        CheckConstraint(
            "gl_type IN ('asset', 'liability', 'equity', 'income', 'expense')", name="gl_type"
        ),
        CheckConstraint("status IN ('active', 'dormant', 'frozen', 'closed')", name="status"),
        CheckConstraint("normal_sign IN (1, -1)", name="normal_sign"),
        CheckConstraint("overdraft_limit_minor >= 0", name="overdraft_non_negative"),
        CheckConstraint("held_minor >= 0", name="held_non_negative"),
        CheckConstraint("NOT (is_hot AND enforce_floor)", name="hot_has_no_floor"),
        Index("ix_accounts_customer_id", "customer_id"),
        Index("ix_accounts_branch_kind", "branch_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(34), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    gl_type: Mapped[str] = mapped_column(String(10))
    gl_code: Mapped[str | None] = mapped_column(String(20))
    normal_sign: Mapped[int] = mapped_column(SmallInteger)
    currency: Mapped[str] = mapped_column(String(3))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    product_code: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="active")
    # When true, the natural balance less holds may not fall below -overdraft_limit_minor.
    enforce_floor: Mapped[bool] = mapped_column(Boolean, default=True)
    overdraft_limit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    # Hot accounts (fee income, vault, FX position) keep their balance in balance_shards.
    is_hot: Mapped[bool] = mapped_column(Boolean, default=False)
    balance_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    held_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BalanceShard(Base):
    """A slice of a hot account's balance; the balance is the sum of the slices."""

    __tablename__ = "balance_shards"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    shard_no: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    balance_minor: Mapped[int] = mapped_column(BigInteger, default=0)


class Hold(Base):
    """Money reserved on an account: reduces the available balance, not the ledger balance."""

    __tablename__ = "holds"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="positive"),
        Index("ix_holds_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (
        Index("ix_journal_entries_business_date", "business_date"),
        Index("ix_journal_entries_posted_at", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    request_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    kind: Mapped[str] = mapped_column(String(24))
    memo: Mapped[str] = mapped_column(String(200), default="")
    business_date: Mapped[date] = mapped_column(Date)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    actor: Mapped[str] = mapped_column(String(64))
    # A reversal points at the entry it undoes; unique: an entry is reversed at most once.
    reverses_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entries.id"), unique=True
    )


class Posting(Base):
    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount_minor <> 0", name="non_zero"),
        Index("ix_postings_account_id_id", "account_id", "id"),
        Index("ix_postings_entry_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)  # debit positive, credit negative
    line_no: Mapped[int] = mapped_column(SmallInteger)


class BusinessDay(Base):
    """History of business dates (opened and closed by end of day)."""

    __tablename__ = "business_days"

    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    sequence_no: Mapped[int] = mapped_column(Integer)
