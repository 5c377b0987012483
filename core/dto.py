"""Frozen DTOs: what services hand to screens and commands (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.unit_of_work import Actor


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
    sanctions_hits: int = 0  # new hits found by the screening at creation


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


# --- identity, maker-checker, audit trail (issue 3) ---------------------------------------------
@dataclass(frozen=True, slots=True)
class UserDTO:
    user_id: int
    username: str
    full_name: str
    role: str
    branch_id: int | None
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    failed_attempts: int
    totp_enabled: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RoleDTO:
    name: str
    label: str
    permissions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SessionDTO:
    """A successful login. With must_change_password the actor holds no permission at all."""

    session_id: int
    token: str  # handed to the client once; only its sha256 is stored
    user: UserDTO
    actor: Actor
    workstation: str
    started_at: datetime
    must_change_password: bool


@dataclass(frozen=True, slots=True)
class TotpEnrolmentDTO:
    secret: str
    uri: str  # otpauth:// URI, what the QR code encodes
    qr_png: bytes


@dataclass(frozen=True, slots=True)
class SupervisorApprovalDTO:
    supervisor: str
    user_id: int
    permission: str
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalRuleDTO:
    rule_id: int
    action: str
    threshold_minor: int | None
    currency: str | None
    enabled: bool


@dataclass(frozen=True, slots=True)
class ApprovalRequestDTO:
    request_id: int
    action: str
    summary: str
    params: dict[str, Any]
    entity_type: str
    entity_id: str
    status: str
    maker: str
    made_at: datetime
    checker: str | None
    decided_at: datetime | None
    reason: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditEventDTO:
    event_id: int
    chain_id: str
    seq: int
    occurred_at: datetime
    actor: str
    workstation: str
    action: str
    entity_type: str
    entity_id: str
    outcome: str
    payload: str


@dataclass(frozen=True, slots=True)
class AuditPageDTO:
    rows: tuple[AuditEventDTO, ...]
    next_before_id: int | None  # pass as before_id for the next (older) page; None at the end


@dataclass(frozen=True, slots=True)
class ChainProblemDTO:
    chain_id: str
    seq: int | None
    event_id: int | None
    problem: str


@dataclass(frozen=True, slots=True)
class ChainStatusDTO:
    chain_id: str
    workstation: str
    head_seq: int
    events_checked: int
    last_event_at: datetime | None
    problem: ChainProblemDTO | None  # the first bad event of this chain, or None when intact
