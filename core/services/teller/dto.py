"""Frozen DTOs of the teller desk: what the screens get back (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.dto import AccountDTO, CustomerDTO, HoldDTO


@dataclass(frozen=True, slots=True)
class TillCurrencyDTO:
    currency: str
    account_id: int  # the till's own GL cash account in this currency
    cash_limit_minor: int


@dataclass(frozen=True, slots=True)
class TillDTO:
    till_id: int
    branch_id: int
    code: str
    name: str
    currencies: tuple[TillCurrencyDTO, ...]


@dataclass(frozen=True, slots=True)
class SessionBalanceDTO:
    currency: str
    opening_minor: int
    expected_minor: int | None  # filled at close (never shown before the blind count)
    counted_minor: int | None
    variance_minor: int | None  # counted - expected


@dataclass(frozen=True, slots=True)
class SessionDTO:
    session_id: int
    till_id: int
    till_code: str
    teller: str
    business_date: date
    status: str
    opened_at: datetime
    closed_at: datetime | None
    balances: tuple[SessionBalanceDTO, ...]
    variance_entry_id: int | None = None
    close_supervisor: str | None = None
    close_note: str | None = None


@dataclass(frozen=True, slots=True)
class FeeQuoteDTO:
    kind: str
    currency: str
    amount_minor: int
    fee_minor: int
    rule: str  # how the fee was worked out, for the confirmation dialog


@dataclass(frozen=True, slots=True)
class CashPositionDTO:
    currency: str
    balance_minor: int
    cash_limit_minor: int
    over_limit: bool  # the till should send cash to the vault
    excess_minor: int  # how much above the limit


@dataclass(frozen=True, slots=True)
class TellerTxDTO:
    transaction_id: int
    session_id: int
    kind: str
    reference: str
    entry_id: int
    account_id: int
    counter_account_id: int | None
    currency: str
    amount_minor: int
    fee_minor: int
    teller: str
    business_date: date
    created_at: datetime
    override_by: str | None
    reversal_entry_id: int | None
    reversed_by: str | None
    reversal_reason: str | None
    till_position: CashPositionDTO | None  # None for a transfer (no cash moved)
    replayed: bool = False

    @property
    def vault_transfer_needed(self) -> bool:
        return self.till_position is not None and self.till_position.over_limit


@dataclass(frozen=True, slots=True)
class CashMovementDTO:
    movement_id: int
    branch_id: int
    from_till_id: int | None  # None: the vault
    to_till_id: int | None
    currency: str
    amount_minor: int
    status: str
    sent_by: str
    sent_at: datetime
    send_entry_id: int
    confirmed_by: str | None
    confirm_entry_id: int | None
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class BlotterTotalDTO:
    currency: str
    kind: str
    count: int
    amount_minor: int
    fee_minor: int


@dataclass(frozen=True, slots=True)
class BlotterDTO:
    session: SessionDTO
    rows: tuple[TellerTxDTO, ...]
    totals: tuple[BlotterTotalDTO, ...]  # reversed transactions are left out of the totals
    reversed_count: int
    truncated: bool


@dataclass(frozen=True, slots=True)
class TillPositionDTO:
    till_id: int
    till_code: str
    till_name: str
    session_id: int
    teller: str
    opened_at: datetime
    positions: tuple[CashPositionDTO, ...]
    pending_movements: int


@dataclass(frozen=True, slots=True)
class CustomerHitDTO:
    customer_id: int
    customer_no: str
    full_name: str
    phone: str | None
    national_id: str | None
    matched_on: str  # name | account | phone | id
    account_number: str | None  # the account that matched, when matched on one


@dataclass(frozen=True, slots=True)
class SearchResultDTO:
    hits: tuple[CustomerHitDTO, ...]
    next_cursor: str | None  # pass back for the next page; None when there is no more


@dataclass(frozen=True, slots=True)
class AccountViewDTO:
    account: AccountDTO
    customer: CustomerDTO | None
    holds: tuple[HoldDTO, ...]
    warnings: tuple[str, ...]  # frozen | dormant | closed | kyc_expired | kyc_missing
    kyc_expires_on: date | None
    photo: bytes | None
    photo_mime: str | None
    signature: bytes | None
    signature_mime: str | None


@dataclass(frozen=True, slots=True)
class ReceiptDTO:
    transaction_id: int
    reference: str
    kind: str
    bank_name: str
    branch_name: str
    teller: str
    printed_at: datetime
    business_date: date
    transacted_at: datetime
    account_masked: str
    counter_account_masked: str | None
    currency: str
    amount_minor: int
    fee_minor: int
    copy_no: int  # 1 for the original, 2+ for reprints
    reversed: bool

    @property
    def duplicate(self) -> bool:
        return self.copy_no > 1
