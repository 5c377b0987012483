"""Supervisor override by credentials (checked in the same transaction) and by the inbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import errors
from core.models.audit import AuditEvent
from core.services import makerchecker
from core.services.teller import tills, transactions
from tests.services.teller.conftest import key, ledger_is_balanced
from tests.services.teller.staff import staff  # noqa: F401 - fixture

BIG = 600_000  # 6,000.00 USD: above the teller's 5,000.00 withdrawal limit


def audits(ctx, action: str, outcome: str) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.outcome == outcome)).scalar_one()


def open_desk(desk, staff, cash: int = 1_000_000) -> int:  # noqa: F811
    from core.rules.ledger import Line
    from core.services import ledger
    from core.services.authz import SYSTEM

    ctx = desk.ctx
    ctx.run(ledger.post_entry, SYSTEM, idempotency_key=key("fund"), kind="seed",
            lines=[Line(desk.till_account, cash, "USD"), Line(desk.bank.gl["3000"], -cash, "USD")])
    counted = {"USD": {10_000: cash // 10_000}}
    return ctx.run(tills.open_session, staff.teller, till_id=desk.till_id,
                   counted=counted).session_id


def test_override_with_credentials_in_the_same_transaction(desk, staff):  # noqa: F811
    ctx = desk.ctx
    session_id = open_desk(desk, staff)
    acc = desk.bank.customer_account(deposit_minor=1_000_000)
    big = dict(session_id=session_id, account_id=acc, amount_minor=BIG, currency="USD")
    before = desk.counts()
    with pytest.raises(errors.AuthenticationFailed):
        ctx.run(transactions.cash_withdrawal, staff.teller, idempotency_key=key(), **big,
                supervisor_username="hana.h", supervisor_password="wrong-password")
    with pytest.raises(errors.MakerCannotDecide):  # the teller cannot approve themselves
        ctx.run(transactions.cash_withdrawal, staff.teller, idempotency_key=key(), **big,
                supervisor_username="tina.t", supervisor_password=staff.head_password)
    assert desk.counts() == before
    assert audits(ctx, "auth.login_failed", "refused") == 1
    assert audits(ctx, "auth.supervisor_override", "refused") == 1
    wd = ctx.run(transactions.cash_withdrawal, staff.teller, idempotency_key=key(), **big,
                 supervisor_username="hana.h", supervisor_password=staff.head_password)
    assert wd.override_by == "hana.h"
    assert audits(ctx, "auth.supervisor_override", "ok") == 1
    ledger_is_balanced(ctx)


def test_override_through_the_checker_inbox(desk, staff):  # noqa: F811
    ctx = desk.ctx
    session_id = open_desk(desk, staff)
    acc = desk.bank.customer_account(deposit_minor=1_000_000)
    params = dict(session_id=session_id, account_id=acc, amount_minor=BIG, currency="USD",
                  idempotency_key=key("inbox"))
    small = dict(params, amount_minor=10_000, idempotency_key=key("small"))
    with pytest.raises(errors.ApprovalNotRequired):
        ctx.run(makerchecker.request_approval, staff.teller,
                action="teller.withdrawal_override", params=small)
    req = ctx.run(makerchecker.request_approval, staff.teller,
                  action="teller.withdrawal_override", params=params)
    assert req.status == "pending" and desk.till_cash() == 1_000_000
    with pytest.raises(errors.PermissionDenied):  # a teller is no checker
        ctx.run(makerchecker.approve, staff.teller, request_id=req.request_id)
    done = ctx.run(makerchecker.approve, staff.head, request_id=req.request_id)
    assert done.status == "approved" and desk.till_cash() == 1_000_000 - BIG
    blot = ctx.read(transactions_of, staff.teller, session_id=session_id)
    assert [(t.teller, t.override_by, t.amount_minor) for t in blot] == [("tina.t", "hana.h", BIG)]
    ledger_is_balanced(ctx)


def transactions_of(uow, *, session_id):
    from core.services.teller import blotter

    return blotter.session_journal(uow, session_id=session_id).rows


def test_close_with_a_variance_needs_the_supervisors_password(desk, staff):  # noqa: F811
    ctx = desk.ctx
    session_id = open_desk(desk, staff, cash=100_000)
    short = {"USD": {10_000: 9}}
    close = dict(session_id=session_id, counted=short, note="one note missing")
    with pytest.raises(errors.AuthenticationFailed):
        ctx.run(tills.close_session, staff.teller, idempotency_key=key("close"), **close,
                supervisor_username="hana.h", supervisor_password="nope")
    done = ctx.run(tills.close_session, staff.teller, idempotency_key=key("close"), **close,
                   supervisor_username="hana.h", supervisor_password=staff.head_password)
    assert done.close_supervisor == "hana.h" and done.balances[0].variance_minor == -10_000
    ledger_is_balanced(ctx)


def test_reversal_at_the_desk_with_the_supervisors_password(desk, staff):  # noqa: F811
    ctx = desk.ctx
    session_id = open_desk(desk, staff)
    acc = desk.bank.customer_account(deposit_minor=0)
    dep = ctx.run(transactions.cash_deposit, staff.teller, idempotency_key=key(),
                  session_id=session_id, account_id=acc, amount_minor=20_000, currency="USD")
    undo = dict(transaction_id=dep.transaction_id, reason="wrong account")
    with pytest.raises(errors.PermissionDenied):  # the teller alone may not reverse
        ctx.run(transactions.reverse_transaction, staff.teller, idempotency_key=key(), **undo)
    with pytest.raises(errors.AuthenticationFailed):
        ctx.run(transactions.reverse_transaction, staff.teller, idempotency_key=key(), **undo,
                supervisor_username="hana.h", supervisor_password="bad")
    done = ctx.run(transactions.reverse_transaction, staff.teller, idempotency_key=key(), **undo,
                   supervisor_username="hana.h", supervisor_password=staff.head_password)
    assert done.reversed_by == "hana.h" and desk.till_cash() == 1_000_000
    ledger_is_balanced(ctx)
