"""Frozen DTOs of the forex services (rates, quotes, deals, positions, revaluation).

Rates are Decimal (exact as stored, or rounded for display where the field says so); amounts
are int minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class FxRateDTO:
    rate_id: int
    currency: str
    base_currency: str
    buy: Decimal  # base units per unit of currency, exact
    sell: Decimal
    mid: Decimal
    effective_at: datetime
    source: str  # manual | csv | ecb
    status: str  # pending | active | superseded | rejected
    entered_by: str
    entered_at: datetime
    approved_by: str | None
    approved_at: datetime | None


@dataclass(frozen=True, slots=True)
class FxImportDTO:
    import_ref: str
    source: str
    rates_stored: int
    rates_activated: int  # became the rate in force (newer than what was in force)
    currencies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FxQuoteDTO:
    from_currency: str
    to_currency: str
    from_amount_minor: int  # the customer gives (fee not included)
    to_amount_minor: int  # the customer receives
    fee_minor: int  # in from_currency, on top of from_amount_minor
    total_from_minor: int  # from_amount_minor + fee_minor
    customer_rate: Decimal  # to per from, 10 significant digits (display)
    mid_rate: Decimal  # to per from at mid, 10 significant digits (display)
    spread_minor: int  # in from_currency
    margin_bp: int
    quoted_at: datetime
    rate_effective_at: datetime  # the older of the two rates used
    age_s: int
    max_age_s: int
    stale: bool  # older than max_age_s: the deal needs fx.override_stale
    from_rate_id: int | None  # None when the currency is the base currency
    to_rate_id: int | None


@dataclass(frozen=True, slots=True)
class FxDealDTO:
    deal_id: int
    kind: str  # account | cash
    branch_id: int
    debit_account_id: int
    credit_account_id: int
    from_currency: str
    to_currency: str
    from_amount_minor: int
    to_amount_minor: int
    fee_minor: int
    spread_minor: int
    customer_rate: Decimal
    mid_rate: Decimal
    margin_bp: int
    quoted_at: datetime
    stale_override: bool
    entry_id: int
    entry_reference: str
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class FxPositionDTO:
    branch_id: int | None  # None: the whole bank
    currency: str
    position_minor: int  # long (+) or short (-) in currency
    mid_rate: Decimal | None  # None when no rate is in force
    value_base_minor: int | None  # position at mid, ROUND_HALF_EVEN
    cost_base_minor: int  # position at the mids of the deals that built it
    revalued_base_minor: int  # unrealised result already posted by revaluations
    unrealised_base_minor: int | None  # value - cost - revalued: not yet posted


@dataclass(frozen=True, slots=True)
class FxRevaluationLineDTO:
    branch_id: int
    currency: str
    mid_rate: Decimal
    position_minor: int
    value_base_minor: int
    cost_base_minor: int
    amount_base_minor: int  # posted by this run: + gain, - loss
    entry_id: int | None


@dataclass(frozen=True, slots=True)
class FxRevaluationDTO:
    run_id: int
    business_date: date
    base_currency: str
    lines: tuple[FxRevaluationLineDTO, ...]
    replayed: bool = False  # the date was already revalued: nothing was posted now


@dataclass(frozen=True, slots=True)
class CounterTillDTO:
    """The till session a teller exchanges cash in (their own open one)."""

    session_id: int
    till_id: int
    till_code: str
    branch_id: int
    currencies: tuple[str, ...]  # the till holds cash in these
