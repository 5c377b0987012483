"""Bad input at the till: a specific error and nothing written (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from core import errors, money
from core.services import accounts, calendar
from core.services.authz import SYSTEM
from core.services.teller import movements, tills, transactions
from tests.services.teller.conftest import HANA, TINA, TOM, key


@pytest.fixture
def open_desk(desk):
    """The till open with 10,000.00 from the vault."""
    sess = desk.ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={})
    m = desk.ctx.run(movements.send_cash, HANA, idempotency_key=key("v"), currency="USD",
                     amount_minor=1_000_000, to_till_id=desk.till_id)
    desk.ctx.run(movements.confirm_cash, TINA, idempotency_key=key("c"), movement_id=m.movement_id)
    desk.session_id = sess.session_id
    return desk


@pytest.mark.parametrize("text,currency,error", [
    ("12a", "USD", errors.InvalidAmount),
    ("1.234", "USD", errors.TooPreciseAmount),
    ("1.5", "JPY", errors.TooPreciseAmount),
    ("1.0001", "BHD", errors.TooPreciseAmount),
    ("-5", "USD", errors.NonPositiveAmount),
])
def test_typed_amounts_are_refused(text, currency, error):
    with pytest.raises(error):
        money.parse_amount(text, currency)


def test_double_submit_posts_once(open_desk):
    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    k = key("dbl")
    args = dict(session_id=d.session_id, account_id=a, amount_minor=2_500, currency="USD")
    first = d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=k, **args)
    counts = d.counts()
    again = d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=k, **args)
    assert again.replayed and again.transaction_id == first.transaction_id
    assert d.counts() == counts
    with pytest.raises(errors.IdempotencyConflict):
        d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=k,
                  **{**args, "amount_minor": 2_600})
    assert d.ctx.read(accounts.get_account, SYSTEM, account_id=a).ledger_balance_minor == 12_500


def test_frozen_account_refused(open_desk):
    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    d.ctx.run(accounts.set_status, SYSTEM, account_id=a, status="frozen", reason="court order")
    counts = d.counts()
    for service in (transactions.cash_deposit, transactions.cash_withdrawal):
        with pytest.raises(errors.AccountFrozen):
            d.ctx.run(service, TINA, idempotency_key=key(), session_id=d.session_id,
                      account_id=a, amount_minor=100, currency="USD")
    assert d.counts() == counts


def test_wrong_currency_and_teller(open_desk):
    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    with pytest.raises(errors.CurrencyMismatch):
        d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(),
                  session_id=d.session_id, account_id=a, amount_minor=100, currency="EUR")
    with pytest.raises(errors.NotSessionTeller):
        d.ctx.run(transactions.cash_deposit, TOM, idempotency_key=key(),
                  session_id=d.session_id, account_id=a, amount_minor=100, currency="USD")


def test_reversal_of_old_transaction_refused(open_desk):
    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    tx = d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(),
                   session_id=d.session_id, account_id=a, amount_minor=100, currency="USD")
    d.ctx.run(calendar.advance_business_date, SYSTEM, to=date(2026, 12, 5))
    counts = d.counts()
    with pytest.raises(errors.ReversalTooOld):
        d.ctx.run(transactions.reverse_transaction, HANA, idempotency_key=key(),
                  transaction_id=tx.transaction_id, reason="late")
    with pytest.raises(errors.UnknownTellerTransaction):
        d.ctx.run(transactions.reverse_transaction, HANA, idempotency_key=key(),
                  transaction_id=999_999, reason="none")
    assert d.counts() == counts


def test_own_transaction_cannot_be_reversed_by_its_teller(open_desk):
    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    tx = d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(),
                   session_id=d.session_id, account_id=a, amount_minor=100, currency="USD")
    boss = HANA.__class__("tina", role="head_teller", permissions=HANA.permissions)
    with pytest.raises(errors.SelfOverride):
        d.ctx.run(transactions.reverse_transaction, boss, idempotency_key=key(),
                  transaction_id=tx.transaction_id, reason="mine")
    with pytest.raises(errors.InvalidInput):
        d.ctx.run(transactions.reverse_transaction, HANA, idempotency_key=key(),
                  transaction_id=tx.transaction_id, reason="   ")


@pytest.mark.parametrize("counted,error", [
    ({"USD": {10_000: -1}}, errors.InvalidCount),
    ({"USD": {10_000: 1.5}}, errors.InvalidCount),
    ({"USD": {3_000: 1}}, errors.UnknownDenomination),
    ({"EUR": {100: 1}}, errors.TillCurrencyNotHeld),
])
def test_bad_blind_counts_refused(open_desk, counted, error):
    d = open_desk
    counts = d.counts()
    with pytest.raises(error):
        d.ctx.run(tills.close_session, TINA, session_id=d.session_id, idempotency_key=key(),
                  counted=counted, supervisor=HANA, note="count")
    assert d.counts() == counts
    assert d.ctx.read(tills.get_session, TINA, session_id=d.session_id).status == "open"


def test_negative_opening_count_refused(desk):
    with pytest.raises(errors.InvalidCount):
        desk.ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={"USD": {100: -2}})


def test_till_cash_limit_and_movements(open_desk):
    d = open_desk
    a = d.bank.customer_account()
    dep = d.ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(),
                    session_id=d.session_id, account_id=a, amount_minor=1_500_000,
                    currency="USD", supervisor=HANA)  # 15,000.00: above the deposit limit
    assert dep.vault_transfer_needed and dep.till_position.excess_minor == 500_000
    with pytest.raises(errors.TillAlreadyOpen):
        d.ctx.run(tills.open_session, TOM, till_id=d.till_id, counted={})
    m = d.ctx.run(movements.send_cash, TINA, idempotency_key=key("out"), currency="USD",
                  amount_minor=600_000, from_till_id=d.till_id)
    with pytest.raises(errors.SelfConfirmation):
        d.ctx.run(movements.confirm_cash, TINA, idempotency_key=key(), movement_id=m.movement_id)
    with pytest.raises(errors.PermissionDenied):  # only the vault keeper receives into the vault
        d.ctx.run(movements.confirm_cash, TOM, idempotency_key=key(), movement_id=m.movement_id)
    with pytest.raises(errors.PendingCashMovements):
        d.ctx.run(tills.close_session, TINA, session_id=d.session_id, idempotency_key=key(),
                  counted={"USD": {10_000: 190}})
    k = key("in")
    done = d.ctx.run(movements.confirm_cash, HANA, idempotency_key=k, movement_id=m.movement_id)
    assert done.status == "confirmed"
    assert d.ctx.run(movements.confirm_cash, HANA, idempotency_key=k,
                     movement_id=m.movement_id).replayed
    with pytest.raises(errors.CashMovementNotPending):
        d.ctx.run(movements.confirm_cash, HANA, idempotency_key=key(), movement_id=m.movement_id)
    assert d.till_cash() == 1_900_000
    with pytest.raises(errors.TillCashShort):
        d.ctx.run(movements.send_cash, TINA, idempotency_key=key(), currency="USD",
                  amount_minor=2_000_000, from_till_id=d.till_id)
    closed = d.ctx.run(tills.close_session, TINA, session_id=d.session_id, idempotency_key=key(),
                       counted={"USD": {10_000: 190}})
    assert closed.balances[0].variance_minor == 0 and closed.variance_entry_id is None


def test_concurrent_double_submit_posts_once(open_desk):
    """Two workers send the same request at once (a double click over two connections)."""
    from concurrent.futures import ThreadPoolExecutor

    d = open_desk
    a = d.bank.customer_account(deposit_minor=10_000)
    k = key("race")
    args = dict(idempotency_key=k, session_id=d.session_id, account_id=a, amount_minor=700,
                currency="USD")
    counts = d.counts()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: d.ctx.run(transactions.cash_deposit, TINA, **args),
                                range(2)))
    assert len({r.transaction_id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True]
    assert d.counts() == tuple(c + n for c, n in zip(counts, (1, 2, 1), strict=True))
