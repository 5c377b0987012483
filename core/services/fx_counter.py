"""Cash exchange at the counter: which cash accounts pay in and out, then fx_exchange.exchange_cash.

The counter takes the customer's cash into the branch's cash GL account of that currency and pays
the other currency out of the branch's cash account of that currency (vault cash 1000), all in
one transaction with the deal.
Permissions: those of fx_exchange.exchange_cash (fx.exchange, fx.override_stale).
"""

from __future__ import annotations

from core import errors
from core.dto_fx import FxDealDTO
from core.services import fx_exchange, setup
from core.unit_of_work import UnitOfWork

CASH_GL = "1000"  # vault cash: the counter's cash until tills hold their own


def counter_branch(uow: UnitOfWork, branch_id: int | None) -> int:
    """The branch the counter belongs to: the one asked for, else the actor's own, else the
    bank's only branch."""
    chosen = branch_id if branch_id is not None else uow.actor.branch_id
    if chosen is not None:
        return chosen
    branches = setup.list_branches(uow)
    if len(branches) != 1:  # a head-office user of a bank with several branches must say which
        raise errors.InvalidInput(field="branch", reason="choose the branch of the counter")
    return branches[0].branch_id


def exchange_at_counter(
    uow: UnitOfWork, *, idempotency_key: str, from_currency: str, to_currency: str,
    amount_minor: int, fee_minor: int = 0, branch_id: int | None = None,
    override_stale: bool = False, expected_counter_minor: int | None = None, memo: str = "",
) -> FxDealDTO:
    """The customer hands in `amount_minor` of from_currency (plus the fee) and takes
    to_currency; `expected_counter_minor` is the amount paid out that they were shown."""
    branch = counter_branch(uow, branch_id)
    cash_in = setup.gl_account_id(uow, branch_id=branch, gl_code=CASH_GL,
                                  currency=from_currency)
    cash_out = setup.gl_account_id(uow, branch_id=branch, gl_code=CASH_GL, currency=to_currency)
    return fx_exchange.exchange_cash(
        uow, idempotency_key=idempotency_key, cash_in_account_id=cash_in,
        cash_out_account_id=cash_out, amount_minor=amount_minor, fee_minor=fee_minor,
        branch_id=branch, override_stale=override_stale,
        expected_counter_minor=expected_counter_minor, memo=memo)
