"""Frozen DTOs: what services hand to screens and commands (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PostingDTO:
    account_id: int
    currency: str
    amount_minor: int  # debit positive
    line_no: int


@dataclass(frozen=True, slots=True)
class EntryDTO:
    entry_id: int
    reference: str
    kind: str
    memo: str
    business_date: date
    posted_at: datetime
    actor: str
    postings: tuple[PostingDTO, ...]
    reverses_entry_id: int | None = None
    replayed: bool = False  # true when an idempotent retry was answered with the first result


@dataclass(frozen=True, slots=True)
class AccountDTO:
    account_id: int
    number: str
    name: str
    kind: str
    gl_type: str
    currency: str
    status: str
    branch_id: int
    customer_id: int | None
    ledger_balance_minor: int  # natural side: positive is money the customer has / asset held
    held_minor: int
    available_minor: int  # ledger - holds (+ overdraft limit where the floor is enforced)
    overdraft_limit_minor: int
    is_hot: bool


@dataclass(frozen=True, slots=True)
class CustomerDTO:
    customer_id: int
    customer_no: str
    kind: str
    full_name: str
    born_on: date | None
    national_id: str | None
    branch_id: int


@dataclass(frozen=True, slots=True)
class BranchDTO:
    branch_id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class HoldDTO:
    hold_id: int
    account_id: int
    amount_minor: int
    reason: str
    placed_at: datetime
    released_at: datetime | None
