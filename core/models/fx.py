"""Foreign exchange: rates (with history), branch margins, deals and revaluation runs.

Rates are stored as exact decimal text, never Numeric: SQLite binds Numeric through float.
A rate is the price of one major unit of `currency` in major units of the bank's base currency
(direct quotation): buy is what the bank pays for it, sell what the bank charges for it.
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
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

RATE_SOURCES = ("manual", "csv", "ecb")
RATE_STATUSES = ("pending", "active", "superseded", "rejected")
DEAL_KINDS = ("account", "cash")


class FxRate(Base):
    """Every rate ever entered or imported; at most one active rate per currency."""

    __tablename__ = "fx_rates"
    __table_args__ = (
        CheckConstraint("source IN ('manual', 'csv', 'ecb')", name="source"),
        CheckConstraint("status IN ('pending', 'active', 'superseded', 'rejected')",
                        name="status"),
        CheckConstraint("currency <> base_currency", name="not_base"),
        Index("ix_fx_rates_currency_effective", "currency", "effective_at"),
        Index("ix_fx_rates_status", "status"),
        # The database, not only the service, keeps one rate in force per currency.
        Index("uq_fx_rates_one_active", "currency", unique=True,
              sqlite_where=text("status = 'active'"),
              postgresql_where=text("status = 'active'")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    base_currency: Mapped[str] = mapped_column(String(3))
    buy_rate: Mapped[str] = mapped_column(String(40))  # exact decimal text
    sell_rate: Mapped[str] = mapped_column(String(40))
    mid_rate: Mapped[str] = mapped_column(String(40))
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    import_ref: Mapped[str | None] = mapped_column(String(40))  # the file batch it came with
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FxBranchSettings(Base):
    """A branch's FX settings: the margin it adds on both sides of the bank's rates (basis
    points) and how old a rate may be before a deal needs an override (None: the bank default,
    limits.FX_RATE_MAX_AGE_S)."""

    __tablename__ = "fx_branch_settings"
    __table_args__ = (
        CheckConstraint("margin_bp >= 0", name="margin_non_negative"),
        CheckConstraint("max_rate_age_s IS NULL OR max_rate_age_s > 0", name="age_positive"),
    )

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    margin_bp: Mapped[int] = mapped_column(Integer, default=0)
    max_rate_age_s: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FxDeal(Base):
    """One exchange: what the customer gave, what they got, at which rates, and its entry."""

    __tablename__ = "fx_deals"
    __table_args__ = (
        CheckConstraint("kind IN ('account', 'cash')", name="kind"),
        CheckConstraint("from_currency <> to_currency", name="two_currencies"),
        CheckConstraint("from_amount_minor > 0 AND to_amount_minor > 0", name="positive"),
        CheckConstraint("fee_minor >= 0 AND spread_minor >= 0", name="fee_spread"),
        Index("ix_fx_deals_branch_created", "branch_id", "created_at"),
        Index("ix_fx_deals_from_currency", "branch_id", "from_currency"),
        Index("ix_fx_deals_to_currency", "branch_id", "to_currency"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    request_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    kind: Mapped[str] = mapped_column(String(8))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # what pays in
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # what pays out
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    from_amount_minor: Mapped[int] = mapped_column(BigInteger)  # exchanged, fee excluded
    to_amount_minor: Mapped[int] = mapped_column(BigInteger)
    fee_minor: Mapped[int] = mapped_column(BigInteger)  # in from_currency, on top of the amount
    spread_minor: Mapped[int] = mapped_column(BigInteger)  # in from_currency, to income 4200
    customer_rate: Mapped[str] = mapped_column(String(40))  # to per from, as shown (rounded)
    mid_rate: Mapped[str] = mapped_column(String(40))  # to per from at mid, as shown
    margin_bp: Mapped[int] = mapped_column(Integer)
    from_rate_id: Mapped[int | None] = mapped_column(ForeignKey("fx_rates.id"))  # None: base
    to_rate_id: Mapped[int | None] = mapped_column(ForeignKey("fx_rates.id"))
    # Base-currency value at mid of what entered / left the FX position (revaluation cost).
    from_base_value_minor: Mapped[int] = mapped_column(BigInteger)
    to_base_value_minor: Mapped[int] = mapped_column(BigInteger)
    quoted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rate_effective_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the older rate used
    stale_override: Mapped[bool] = mapped_column(Boolean, default=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"))
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FxRevaluationRun(Base):
    """One end-of-day revaluation per business date: a second run finds it and posts nothing."""

    __tablename__ = "fx_revaluation_runs"
    __table_args__ = (CheckConstraint("status IN ('done')", name="status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, unique=True)
    status: Mapped[str] = mapped_column(String(12))
    run_by: Mapped[str] = mapped_column(String(64))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FxRevaluationLine(Base):
    """The revaluation of one currency position of one branch on one business date."""

    __tablename__ = "fx_revaluation_lines"
    __table_args__ = (
        UniqueConstraint("business_date", "branch_id", "currency",
                         name="uq_fx_revaluation_lines_date_branch_ccy"),
        Index("ix_fx_revaluation_lines_branch_ccy", "branch_id", "currency"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("fx_revaluation_runs.id"))
    business_date: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    currency: Mapped[str] = mapped_column(String(3))
    rate_id: Mapped[int] = mapped_column(ForeignKey("fx_rates.id"))
    mid_rate: Mapped[str] = mapped_column(String(40))
    position_minor: Mapped[int] = mapped_column(BigInteger)  # in currency
    value_base_minor: Mapped[int] = mapped_column(BigInteger)  # position at the closing mid
    cost_base_minor: Mapped[int] = mapped_column(BigInteger)  # position at the deals' mids
    amount_base_minor: Mapped[int] = mapped_column(BigInteger)  # posted now: + gain, - loss
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
