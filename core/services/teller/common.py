"""Shared checks of the teller desk: open sessions, till cash, supervisor overrides, DTOs."""

from __future__ import annotations

from sqlalchemy import func, select

from core import errors, limits
from core.models.ledger import Account
from core.models.org import Branch
from core.models.teller import (
    CashMovement,
    TellerTransaction,
    Till,
    TillCurrency,
    TillSession,
    TillSessionBalance,
)
from core.services import authz
from core.services.teller.dto import (
    CashPositionDTO,
    SessionBalanceDTO,
    SessionDTO,
    TellerTxDTO,
    TillCurrencyDTO,
    TillDTO,
)
from core.unit_of_work import Actor, UnitOfWork

OVERRIDE = "teller.override"


def get_till(uow: UnitOfWork, till_id: int) -> Till:
    till = uow.session.get(Till, till_id)
    if till is None:
        raise errors.UnknownTill(till=till_id)
    return till


def till_currency(uow: UnitOfWork, till: Till, currency: str) -> TillCurrency:
    found = uow.session.get(TillCurrency, (till.id, currency))
    if found is None:
        raise errors.TillCurrencyNotHeld(till=till.code, currency=currency)
    return found


def till_currencies(uow: UnitOfWork, till_id: int) -> list[TillCurrency]:
    return list(uow.session.execute(
        select(TillCurrency).where(TillCurrency.till_id == till_id)
        .order_by(TillCurrency.currency).limit(limits.MAX_TILL_CURRENCIES)).scalars())


def open_session_of(uow: UnitOfWork, till_id: int) -> TillSession | None:
    return uow.session.execute(
        select(TillSession).where(TillSession.till_id == till_id, TillSession.status == "open")
    ).scalar_one_or_none()


def require_open_session(uow: UnitOfWork, session_id: int, *, own: bool = True
                         ) -> tuple[TillSession, Till]:
    """The session must be open, and (by default) the acting user must be its teller."""
    sess = uow.session.get(TillSession, session_id)
    if sess is None:
        raise errors.UnknownTillSession(session=session_id)
    till = get_till(uow, sess.till_id)
    if sess.status != "open":
        raise errors.TillClosed(till=till.code)
    if own and sess.teller != uow.actor.username:
        raise errors.NotSessionTeller(user=uow.actor.username, till=till.code)
    return sess, till


def require_own_till(uow: UnitOfWork, till: Till) -> TillSession:
    """Acting for a till (sending or receiving cash): its open session must be the actor's."""
    sess = open_session_of(uow, till.id)
    if sess is None:
        raise errors.TillClosed(till=till.code)
    if sess.teller != uow.actor.username:
        raise errors.NotSessionTeller(user=uow.actor.username, till=till.code)
    return sess


def check_supervisor(uow: UnitOfWork, supervisor: Actor | None, *, subject: str) -> Actor:
    """An on-the-spot approval: another user who holds teller.override.

    `subject` is the user whose work is approved. The credentials are checked by the caller
    (identity.verify_supervisor) before it hands the supervisor's Actor here.
    """
    if supervisor is None:
        raise errors.OverrideNotPermitted(user="-")
    if supervisor.username == subject:
        raise errors.SelfOverride(user=supervisor.username)
    if not authz.allowed(supervisor, OVERRIDE):
        raise errors.OverrideNotPermitted(user=supervisor.username)
    return supervisor


def check_note(text: str | None, field: str) -> str:
    note = " ".join((text or "").split())
    if len(note) > limits.MAX_NOTE_CHARS:
        raise errors.InvalidInput(field=field, reason=f"longer than {limits.MAX_NOTE_CHARS}")
    return note


def cash_balance(uow: UnitOfWork, account_id: int) -> int:
    """A till cash account is a plain (not hot) asset account: its balance is one column."""
    return int(uow.session.execute(
        select(Account.balance_minor).where(Account.id == account_id)).scalar_one())


def position(uow: UnitOfWork, tc: TillCurrency) -> CashPositionDTO:
    bal = cash_balance(uow, tc.account_id)
    excess = max(0, bal - tc.cash_limit_minor)
    return CashPositionDTO(tc.currency, bal, tc.cash_limit_minor, excess > 0, excess)


def pending_movements(uow: UnitOfWork, till_id: int) -> int:
    return int(uow.session.execute(
        select(func.count()).select_from(CashMovement).where(
            CashMovement.status == "pending",
            (CashMovement.from_till_id == till_id) | (CashMovement.to_till_id == till_id))
    ).scalar_one())


def branch_of(uow: UnitOfWork, branch_id: int) -> Branch:
    branch = uow.session.get(Branch, branch_id)
    if branch is None:
        raise errors.UnknownBranch(branch=branch_id)
    return branch


def till_dto(uow: UnitOfWork, till: Till) -> TillDTO:
    cur = tuple(TillCurrencyDTO(tc.currency, tc.account_id, tc.cash_limit_minor)
                for tc in till_currencies(uow, till.id))
    return TillDTO(till.id, till.branch_id, till.code, till.name, cur)


def session_dto(uow: UnitOfWork, sess: TillSession) -> SessionDTO:
    till = get_till(uow, sess.till_id)
    rows = uow.session.execute(
        select(TillSessionBalance).where(TillSessionBalance.session_id == sess.id)
        .order_by(TillSessionBalance.currency)).scalars()
    balances = tuple(SessionBalanceDTO(b.currency, b.opening_minor, b.expected_minor,
                                       b.counted_minor, b.variance_minor) for b in rows)
    return SessionDTO(sess.id, sess.till_id, till.code, sess.teller, sess.business_date,
                      sess.status, sess.opened_at, sess.closed_at, balances,
                      sess.variance_entry_id, sess.close_supervisor, sess.close_note)


def tx_dto(tx: TellerTransaction, till_position: CashPositionDTO | None = None,
           replayed: bool = False) -> TellerTxDTO:
    return TellerTxDTO(tx.id, tx.session_id, tx.kind, tx.reference, tx.entry_id, tx.account_id,
                       tx.counter_account_id, tx.currency, tx.amount_minor, tx.fee_minor,
                       tx.teller, tx.business_date, tx.created_at, tx.override_by,
                       tx.reversal_entry_id, tx.reversed_by, tx.reversal_reason, till_position,
                       replayed)
