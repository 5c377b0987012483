"""Tills and till sessions: set-up, opening with a count, closing with a blind count.

At close the variance (counted - expected, per currency) is posted in one entry against the
branch's GL 5100 cash over and short, approved by a supervisor with a note.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from core import errors, limits, money
from core.models.ledger import Account
from core.models.teller import (
    Till,
    TillCount,
    TillCurrency,
    TillSession,
    TillSessionBalance,
    Vault,
)
from core.rules import denominations
from core.rules import ledger as ledger_rules
from core.rules.ledger import Line
from core.services import audit, authentication, authz, calendar, ledger, setup
from core.services.teller import common
from core.services.teller.dto import SessionDTO, TillDTO
from core.unit_of_work import Actor, UnitOfWork

TILL_GL_CODE = "1001"  # each till's own cash account, beside the vault's 1000


def till_account_number(branch_code: str, till_code: str, currency: str) -> str:
    return f"TILL-{branch_code}-{till_code}-{currency}"


def create_till(uow: UnitOfWork, *, branch_id: int, code: str, name: str,
                cash_limits_minor: dict[str, int]) -> TillDTO:
    """A till with a GL cash account per currency it holds; the branch vault is made once."""
    authz.require(uow, "admin.branches")
    branch = common.branch_of(uow, branch_id)
    code = code.strip().upper()
    if not code.isalnum() or not 1 <= len(code) <= 16:
        raise errors.InvalidInput(field="code", reason="1-16 letters or digits")
    if not cash_limits_minor or len(cash_limits_minor) > limits.MAX_TILL_CURRENCIES:
        raise errors.InvalidInput(field="currencies",
                                  reason=f"1 to {limits.MAX_TILL_CURRENCIES} currencies")
    if uow.session.execute(select(Till.id).where(Till.branch_id == branch_id,
                                                 Till.code == code)).first():
        raise errors.InvalidInput(field="code", reason=f"till {code} exists")
    now = uow.clock.now()
    if uow.session.execute(select(Vault.id).where(Vault.branch_id == branch_id)).first() is None:
        uow.session.add(Vault(branch_id=branch_id, name=f"{branch.name} vault", created_at=now))
    till = Till(branch_id=branch_id, code=code, name=name.strip() or code, created_at=now)
    uow.session.add(till)
    uow.session.flush()
    for currency, limit in sorted(cash_limits_minor.items()):
        money.check_currency(currency)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise errors.InvalidInput(field="cash_limit", reason="a whole amount from zero")
        denominations.denominations(currency)  # a till only holds currencies we can count
        setup.ensure_gl_chart(uow, branch_id=branch_id, currency=currency)
        acc = Account(number=till_account_number(branch.code, code, currency),
                      name=f"Till {code} cash {currency}", kind="gl", gl_type="asset",
                      gl_code=TILL_GL_CODE, normal_sign=1, currency=currency,
                      branch_id=branch_id, status="active", enforce_floor=True,
                      overdraft_limit_minor=0, is_hot=False, balance_minor=0, held_minor=0,
                      opened_at=now)
        uow.session.add(acc)
        uow.session.flush()
        uow.session.add(TillCurrency(till_id=till.id, currency=currency, account_id=acc.id,
                                     cash_limit_minor=limit))
    uow.session.flush()
    audit.append(uow, action="teller.create_till", entity_type="till", entity_id=till.id,
                 payload={"after": {"branch": branch.code, "code": code,
                                    "cash_limits_minor": cash_limits_minor}})
    return common.till_dto(uow, till)


def list_tills(uow: UnitOfWork, *, branch_id: int) -> list[TillDTO]:
    tills = uow.session.execute(select(Till).where(Till.branch_id == branch_id)
                                .order_by(Till.code).limit(limits.MAX_BRANCH_TILLS)).scalars()
    return [common.till_dto(uow, t) for t in tills]


def _counts(uow: UnitOfWork, till: Till, counted: dict[str, dict[int, int]]
            ) -> tuple[dict[str, int], list[TillCurrency]]:
    """Validated totals for every currency the till holds (a currency not counted is zero)."""
    held = common.till_currencies(uow, till.id)
    held_codes = {tc.currency for tc in held}
    for currency in counted:
        if currency not in held_codes:
            money.check_currency(currency)
            raise errors.TillCurrencyNotHeld(till=till.code, currency=currency)
    totals = denominations.totals_of(counted)
    return {tc.currency: totals.get(tc.currency, 0) for tc in held}, held


def _store_counts(uow: UnitOfWork, session_id: int, phase: str,
                  counted: dict[str, dict[int, int]]) -> None:
    rows = [{"session_id": session_id, "phase": phase, "currency": cur,
             "denomination_minor": denom, "pieces": pieces}
            for cur, counts in sorted(counted.items()) for denom, pieces in sorted(counts.items())
            if pieces]
    if rows:
        uow.conn.execute(insert(TillCount), rows)


def open_session(uow: UnitOfWork, *, till_id: int,
                 counted: dict[str, dict[int, int]]) -> SessionDTO:
    """Open a till with the cash counted in it; the count must match the till's books."""
    authz.require(uow, "teller.session")
    till = common.get_till(uow, till_id)
    existing = common.open_session_of(uow, till.id)
    if existing is not None:
        raise errors.TillAlreadyOpen(till=till.code, session=existing.id)
    totals, held = _counts(uow, till, counted)
    for tc in held:
        book = common.cash_balance(uow, tc.account_id)
        if totals[tc.currency] != book:
            raise errors.OpeningCountMismatch(
                currency=tc.currency, counted=money.format_minor(totals[tc.currency], tc.currency),
                expected=money.format_minor(book, tc.currency))
    sess = TillSession(till_id=till.id, teller=uow.actor.username,
                       business_date=calendar.business_date(uow), status="open",
                       opened_at=uow.clock.now())
    uow.session.add(sess)
    uow.session.flush()
    for tc in held:
        uow.session.add(TillSessionBalance(session_id=sess.id, currency=tc.currency,
                                           opening_minor=totals[tc.currency]))
    _store_counts(uow, sess.id, "open", counted)
    uow.session.flush()
    audit.append(uow, action="teller.open_session", entity_type="till_session",
                 entity_id=sess.id, payload={"till": till.code, "opening_minor": totals})
    return common.session_dto(uow, sess)


def close_session(uow: UnitOfWork, *, session_id: int, idempotency_key: str,
                  counted: dict[str, dict[int, int]], supervisor: Actor | None = None,
                  note: str = "", supervisor_username: str | None = None,
                  supervisor_password: str | None = None) -> SessionDTO:
    """Blind count at close; any variance is posted to GL 5100 with a supervisor's note.

    A retry with the same key after the close answers with the closed session.
    """
    authz.require(uow, "teller.session")
    ledger_rules.check_idempotency_key(idempotency_key)
    done = uow.session.get(TillSession, session_id)
    if done is not None and done.status == "closed" and done.close_key == idempotency_key:
        return common.session_dto(uow, done)
    sess, till = common.require_open_session(uow, session_id)
    pending = common.pending_movements(uow, till.id)
    if pending:
        raise errors.PendingCashMovements(till=till.code, count=pending)
    totals, held = _counts(uow, till, counted)
    expected = {tc.currency: common.cash_balance(uow, tc.account_id) for tc in held}
    variance = {cur: totals[cur] - expected[cur] for cur in totals}
    note = common.check_note(note, "note")
    lines: list[Line] = []
    for tc in held:
        v = variance[tc.currency]
        if v:
            over_short = setup.gl_account_id(uow, branch_id=till.branch_id, gl_code="5100",
                                             currency=tc.currency)
            lines += [Line(tc.account_id, v, tc.currency), Line(over_short, -v, tc.currency)]
    if lines:
        first = next(cur for cur, v in sorted(variance.items()) if v)
        if (supervisor is None and not supervisor_username) or not note:
            raise errors.SupervisorNoteRequired(
                variance=money.format_minor(variance[first], first), currency=first)
        if supervisor_username:  # typed at the teller's desk: checked in this transaction
            approved = authentication.verify_supervisor(
                uow, username=supervisor_username, password=supervisor_password or "",
                permission=common.OVERRIDE).supervisor
        else:
            approved = common.check_supervisor(uow, supervisor, subject=sess.teller).username
        entry = ledger.post_entry(uow, idempotency_key=idempotency_key, kind="till_variance",
                                  lines=lines, memo=f"Till {till.code} close: {note}"[:200],
                                  branch_id=till.branch_id, permission="teller.session")
        sess.variance_entry_id = entry.entry_id
        sess.close_supervisor = approved
    sess.close_note = note or None
    sess.close_key = idempotency_key
    sess.status = "closed"
    sess.closed_at = uow.clock.now()
    for bal in uow.session.execute(select(TillSessionBalance).where(
            TillSessionBalance.session_id == sess.id)).scalars():
        bal.expected_minor = expected.get(bal.currency, 0)
        bal.counted_minor = totals.get(bal.currency, 0)
        bal.variance_minor = variance.get(bal.currency, 0)
    _store_counts(uow, sess.id, "close", counted)
    uow.session.flush()
    audit.append(uow, action="teller.close_session", entity_type="till_session",
                 entity_id=sess.id, payload={"till": till.code, "counted_minor": totals,
                                             "expected_minor": expected, "variance": variance,
                                             "supervisor": sess.close_supervisor, "note": note})
    return common.session_dto(uow, sess)


def get_session(uow: UnitOfWork, *, session_id: int) -> SessionDTO:
    sess = uow.session.get(TillSession, session_id)
    if sess is None:
        raise errors.UnknownTillSession(session=session_id)
    if sess.teller != uow.actor.username:
        authz.require(uow, "teller.view_branch")
    return common.session_dto(uow, sess)


def current_session(uow: UnitOfWork, *, till_id: int) -> SessionDTO | None:
    """The till's open session, if any (the screen resumes it after a restart)."""
    authz.require(uow, "teller.session")
    sess = common.open_session_of(uow, common.get_till(uow, till_id).id)
    return common.session_dto(uow, sess) if sess is not None else None
