"""Cash exchange at the counter, in the teller's open till session.

The customer's cash goes into the till's cash account of that currency and the other currency
is paid out of the till's cash account of that one (teller.common.till_currency), in one
transaction with the deal. The till accounts keep a floor: a till short of the currency paid out
refuses the deal (InsufficientFunds) and nothing is posted.
Permissions: fx.view (my_till), fx.exchange and fx.override_stale (through exchange_cash);
the session must be the actor's own.
"""

from __future__ import annotations

from sqlalchemy import select

from core.dto_fx import CounterTillDTO, FxDealDTO
from core.models.teller import TillSession
from core.services import authz, fx_exchange
from core.services.teller import common as teller
from core.unit_of_work import UnitOfWork


def my_till(uow: UnitOfWork) -> CounterTillDTO | None:
    """The actor's open till session, if any (the counter mode works in it)."""
    authz.require(uow, "fx.view")
    sess = uow.session.execute(
        select(TillSession).where(TillSession.teller == uow.actor.username,
                                  TillSession.status == "open")
        .order_by(TillSession.id.desc()).limit(1)).scalar_one_or_none()
    if sess is None:
        return None
    till = teller.get_till(uow, sess.till_id)
    held = tuple(tc.currency for tc in teller.till_currencies(uow, till.id))
    return CounterTillDTO(sess.id, till.id, till.code, till.branch_id, held)


def exchange_at_counter(
    uow: UnitOfWork, *, idempotency_key: str, session_id: int, from_currency: str,
    to_currency: str, amount_minor: int, fee_minor: int = 0, override_stale: bool = False,
    expected_counter_minor: int | None = None, memo: str = "",
) -> FxDealDTO:
    """The customer hands in `amount_minor` of from_currency (plus the fee) at the actor's till
    and takes to_currency; `expected_counter_minor` is the amount paid out they were shown."""
    authz.require(uow, "fx.exchange")
    _sess, till = teller.require_open_session(uow, session_id)
    cash_in = teller.till_currency(uow, till, from_currency).account_id
    cash_out = teller.till_currency(uow, till, to_currency).account_id
    return fx_exchange.exchange_cash(
        uow, idempotency_key=idempotency_key, cash_in_account_id=cash_in,
        cash_out_account_id=cash_out, amount_minor=amount_minor, fee_minor=fee_minor,
        branch_id=till.branch_id, override_stale=override_stale,
        expected_counter_minor=expected_counter_minor, memo=memo)
