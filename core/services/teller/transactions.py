"""Cash deposit, cash withdrawal and transfer at the till; fee quotes; same-day reversal.

Each transaction is one journal entry through ledger.post_entry (the fee line to the branch's
hot GL 4000 rides in the same entry) plus its teller_transactions row and audit event. The
screen's idempotency key is the entry's key: a double click or a retry posts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select

from core import errors, money
from core.models.ledger import Account, JournalEntry
from core.models.teller import TellerTransaction, TillSession
from core.rules import ledger as ledger_rules
from core.rules import teller as rules
from core.rules.ledger import Line
from core.services import audit, authentication, authz, calendar, ledger, setup
from core.services.teller import common
from core.services.teller.dto import FeeQuoteDTO, TellerTxDTO
from core.unit_of_work import Actor, UnitOfWork


class Request(NamedTuple):
    kind: str
    key: str
    session_id: int
    account_id: int
    counter_id: int | None
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class Override:
    """How a transaction above the teller's limit is approved (if it is)."""

    actor: Actor | None = None  # a supervisor already identified by the caller (tests, batch)
    username: str | None = None  # on the spot: typed at the teller's desk, checked here
    password: str | None = None
    maker: str | None = None  # set when a checker's approval executes the maker's request
    approved_by: str | None = None


PERMISSION = {"deposit": "teller.deposit", "withdrawal": "teller.withdraw",
              "transfer": "teller.transfer"}


def quote_fee(uow: UnitOfWork, *, kind: str, amount_minor: int, currency: str) -> FeeQuoteDTO:
    """The fee the customer will pay, shown before the teller confirms."""
    if kind not in rules.KINDS:
        raise errors.InvalidInput(field="kind", reason=f"one of {', '.join(rules.KINDS)}")
    authz.require(uow, PERMISSION[kind])
    money.check_amount_minor(amount_minor, currency)
    fee = rules.fee_minor(kind, amount_minor, currency)
    return FeeQuoteDTO(kind, currency, amount_minor, fee,
                       rules.fee_rule(kind, currency).describe(currency))


def cash_deposit(uow: UnitOfWork, *, idempotency_key: str, session_id: int, account_id: int,
                 amount_minor: int, currency: str, supervisor: Actor | None = None,
                 supervisor_username: str | None = None, supervisor_password: str | None = None
                 ) -> TellerTxDTO:
    override = Override(supervisor, supervisor_username, supervisor_password)
    return execute(uow, Request("deposit", idempotency_key, session_id, account_id, None,
                                  amount_minor, currency), override)


def cash_withdrawal(uow: UnitOfWork, *, idempotency_key: str, session_id: int, account_id: int,
                    amount_minor: int, currency: str, supervisor: Actor | None = None,
                    supervisor_username: str | None = None,
                    supervisor_password: str | None = None) -> TellerTxDTO:
    override = Override(supervisor, supervisor_username, supervisor_password)
    return execute(uow, Request("withdrawal", idempotency_key, session_id, account_id, None,
                                  amount_minor, currency), override)


def transfer(uow: UnitOfWork, *, idempotency_key: str, session_id: int, from_account_id: int,
             to_account_id: int, amount_minor: int, currency: str,
             supervisor: Actor | None = None, supervisor_username: str | None = None,
             supervisor_password: str | None = None) -> TellerTxDTO:
    """Account to account at the desk, recorded in the session's journal."""
    if from_account_id == to_account_id:
        raise errors.SameAccountTransfer(account=from_account_id)
    override = Override(supervisor, supervisor_username, supervisor_password)
    return execute(uow, Request("transfer", idempotency_key, session_id, from_account_id,
                                  to_account_id, amount_minor, currency), override)


def _replayed(uow: UnitOfWork, key: str, request: tuple[object, ...]) -> TellerTxDTO | None:
    tx = uow.session.execute(select(TellerTransaction).where(
        TellerTransaction.idempotency_key == key)).scalar_one_or_none()
    if tx is None:
        return None
    first = (tx.kind, tx.session_id, tx.account_id, tx.counter_account_id, tx.amount_minor,
             tx.currency)
    if first != request:
        raise errors.IdempotencyConflict(key=key)
    return common.tx_dto(tx, replayed=True)


def customer_account(uow: UnitOfWork, account_id: int, currency: str, debit: bool) -> Account:
    acc = uow.session.get(Account, account_id)
    if acc is None or acc.kind != "customer":
        raise errors.UnknownAccount(account=account_id)
    if acc.currency != currency:
        raise errors.CurrencyMismatch(account=acc.number, account_currency=acc.currency,
                                      currency=currency)
    if acc.status == "closed":
        raise errors.AccountClosed(account=acc.number)
    if acc.status == "frozen":
        raise errors.AccountFrozen(account=acc.number)
    if acc.status == "dormant" and debit:
        raise errors.AccountDormant(account=acc.number)
    return acc


def _approve(uow: UnitOfWork, req: Request, override: Override) -> tuple[str | None, str | None]:
    """Above the teller's own limit a supervisor (another user with teller.override) approves:
    (who approved, how). On the spot the supervisor's credentials are checked here, in this
    transaction (verify_supervisor audits the attempt, a refusal included)."""
    if override.approved_by is not None:  # executing a checker's approval
        return override.approved_by, "inbox"
    if not rules.needs_override(uow.actor.role, req.kind, req.amount_minor, req.currency):
        return None, None
    if override.username:
        approval = authentication.verify_supervisor(
            uow, username=override.username, password=override.password or "",
            permission=common.OVERRIDE)
        return approval.supervisor, "on_the_spot"
    if override.actor is None:
        limit = rules.role_limit_minor(uow.actor.role, req.kind, req.currency) or 0
        raise errors.OverrideRequired(
            amount=money.format_minor(req.amount_minor, req.currency), currency=req.currency,
            role=uow.actor.role, kind=req.kind, limit=money.format_minor(limit, req.currency))
    actor = common.check_supervisor(uow, override.actor, subject=uow.actor.username)
    return actor.username, "on_the_spot"


def _lines(uow: UnitOfWork, kind: str, till_id: int, branch_id: int, account: Account,
           counter_id: int | None, amount: int, fee: int) -> list[Line]:
    cur = account.currency
    if kind == "deposit":  # cash in: till up, customer credited
        till_acc = common.till_currency(uow, common.get_till(uow, till_id), cur).account_id
        lines = [Line(till_acc, amount, cur), Line(account.id, -amount, cur)]
    elif kind == "withdrawal":  # cash out: customer debited amount + fee, till down
        till_acc = common.till_currency(uow, common.get_till(uow, till_id), cur).account_id
        lines = [Line(account.id, amount, cur), Line(till_acc, -amount, cur)]
    else:
        assert counter_id is not None
        lines = [Line(account.id, amount, cur), Line(counter_id, -amount, cur)]
    if fee:
        income = setup.gl_account_id(uow, branch_id=branch_id, gl_code="4000", currency=cur)
        lines += [Line(account.id, fee, cur), Line(income, -fee, cur)]
    return lines


def execute(uow: UnitOfWork, req: Request, override: Override) -> TellerTxDTO:
    """The shared body of the three transactions (also run by an approved inbox request)."""
    kind, key, session_id, account_id, counter_id, amount_minor, currency = req
    authz.require(uow, PERMISSION[kind])
    ledger_rules.check_idempotency_key(key)
    request = (kind, session_id, account_id, counter_id, amount_minor, currency)
    replay = _replayed(uow, key, request)
    if replay is not None:
        return replay
    money.check_amount_minor(amount_minor, currency)
    teller = override.maker or uow.actor.username
    sess, till = common.require_open_session(uow, session_id, own=override.maker is None)
    if sess.teller != teller:
        raise errors.NotSessionTeller(user=teller, till=till.code)
    account = customer_account(uow, account_id, currency, debit=kind != "deposit")
    if counter_id is not None:
        customer_account(uow, counter_id, currency, debit=False)
    fee = rules.fee_minor(kind, amount_minor, currency)
    if kind == "deposit" and fee >= amount_minor:
        raise errors.InvalidInput(field="amount", reason="the deposit does not cover its fee")
    if kind == "withdrawal":
        tc = common.till_currency(uow, till, currency)
        held = common.cash_balance(uow, tc.account_id)
        if held < amount_minor:
            raise errors.TillCashShort(till=till.code, currency=currency,
                                       available=money.format_minor(held, currency),
                                       requested=money.format_minor(amount_minor, currency))
    approved_by, via = _approve(uow, req, override)
    lines = _lines(uow, kind, till.id, till.branch_id, account, counter_id, amount_minor, fee)
    entry = ledger.post_entry(uow, idempotency_key=key, kind=f"teller_{kind}", lines=lines,
                              memo=f"{kind} at till {till.code}", branch_id=till.branch_id,
                              permission=PERMISSION[kind])
    if entry.replayed:  # a concurrent double submit won the race: answer with its result
        raced = _replayed(uow, key, request)
        if raced is None:
            raise errors.IdempotencyConflict(key=key)
        return raced
    tx = TellerTransaction(
        session_id=sess.id, kind=kind, entry_id=entry.entry_id, reference=entry.reference,
        account_id=account.id, counter_account_id=counter_id, currency=currency,
        amount_minor=amount_minor, fee_minor=fee, idempotency_key=key,
        teller=teller, business_date=calendar.business_date(uow),
        created_at=uow.clock.now(), override_by=approved_by,
        override_via=via)
    uow.session.add(tx)
    uow.session.flush()
    audit.append(uow, action=f"teller.{kind}", entity_type="teller_transaction",
                 entity_id=tx.id, payload={"reference": entry.reference, "session": sess.id,
                                           "account": account.number, "amount_minor": amount_minor,
                                           "currency": currency, "fee_minor": fee,
                                           "override_by": approved_by, "override_via": via})
    place = None
    if kind != "transfer":
        place = common.position(uow, common.till_currency(uow, till, currency))
    return common.tx_dto(tx, place)


def reverse_transaction(uow: UnitOfWork, *, idempotency_key: str, transaction_id: int,
                        reason: str, supervisor_username: str | None = None,
                        supervisor_password: str | None = None) -> TellerTxDTO:
    """A supervisor undoes a same-business-day teller transaction, with a reason: logged in
    themselves, or at the teller's desk typing their credentials (checked here, audited)."""
    if supervisor_username:
        reverser = authentication.verify_supervisor(
            uow, username=supervisor_username, password=supervisor_password or "",
            permission="teller.reverse").supervisor
    else:
        authz.require(uow, "teller.reverse")
        reverser = uow.actor.username
    ledger_rules.check_idempotency_key(idempotency_key)
    tx = uow.session.get(TellerTransaction, transaction_id, with_for_update=True)
    if tx is None:
        raise errors.UnknownTellerTransaction(transaction=transaction_id)
    if tx.reversal_entry_id is not None:
        done_key = uow.session.execute(select(JournalEntry.idempotency_key).where(
            JournalEntry.id == tx.reversal_entry_id)).scalar_one()
        if done_key == idempotency_key:
            return common.tx_dto(tx, replayed=True)
        raise errors.AlreadyReversed(entry=tx.reference)
    if tx.teller == reverser:
        raise errors.SelfOverride(user=reverser)
    today = calendar.business_date(uow)
    if tx.business_date != today:
        raise errors.ReversalTooOld(reference=tx.reference,
                                    business_date=tx.business_date.isoformat())
    reason = common.check_note(reason, "reason")
    if not reason:
        raise errors.InvalidInput(field="reason", reason="a reversal needs a reason")
    sess = uow.session.get(TillSession, tx.session_id)
    if sess is None or sess.status != "open":
        till = common.get_till(uow, sess.till_id) if sess else None
        raise errors.TillClosed(till=till.code if till else tx.session_id)
    # On the spot the teller posts under the supervisor's verified authority.
    entry = ledger.reverse_entry(uow, idempotency_key=idempotency_key, entry_id=tx.entry_id,
                                 reason=reason, permission="teller.reverse"
                                 if reverser == uow.actor.username else PERMISSION[tx.kind])
    tx.reversal_entry_id = entry.entry_id
    tx.reversed_by = reverser
    tx.reversed_at = uow.clock.now()
    tx.reversal_reason = reason
    uow.session.flush()
    audit.append(uow, action="teller.reverse", entity_type="teller_transaction", entity_id=tx.id,
                 payload={"reference": tx.reference, "reversal": entry.reference,
                          "reason": reason, "teller": tx.teller})
    return common.tx_dto(tx)
