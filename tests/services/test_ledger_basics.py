"""Posting, idempotency, reversal and refusals on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from core import errors
from core.models.ledger import JournalEntry, Posting
from core.rules.ledger import Line
from core.services import accounts, ledger
from core.services.authz import SYSTEM


def balance(bank, account_id: int) -> int:
    return bank.ctx.read(accounts.get_account, SYSTEM, account_id=account_id).ledger_balance_minor


def count(ctx, model) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_transfer_moves_money_and_is_idempotent(bank):
    a = bank.customer_account(deposit_minor=10_000)
    b = bank.customer_account()
    first = bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000001",
                         from_account_id=a, to_account_id=b, amount_minor=2_500, currency="USD")
    again = bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000001",
                         from_account_id=a, to_account_id=b, amount_minor=2_500, currency="USD")
    assert again.replayed and again.entry_id == first.entry_id
    assert balance(bank, a) == 7_500 and balance(bank, b) == 2_500
    with pytest.raises(errors.IdempotencyConflict):
        bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000001",
                     from_account_id=a, to_account_id=b, amount_minor=2_600, currency="USD")


def test_insufficient_funds_writes_nothing(bank):
    a = bank.customer_account(deposit_minor=1_000)
    b = bank.customer_account()
    entries, postings = count(bank.ctx, JournalEntry), count(bank.ctx, Posting)
    with pytest.raises(errors.InsufficientFunds) as info:
        bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000002",
                     from_account_id=a, to_account_id=b, amount_minor=1_001, currency="USD")
    assert info.value.params["available"] == "10.00"
    assert (count(bank.ctx, JournalEntry), count(bank.ctx, Posting)) == (entries, postings)
    assert balance(bank, a) == 1_000 and balance(bank, b) == 0


def test_overdraft_limit_allows_negative_down_to_limit(bank):
    a = bank.customer_account(deposit_minor=1_000, overdraft_minor=500)
    b = bank.customer_account()
    bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000003", from_account_id=a,
                 to_account_id=b, amount_minor=1_500, currency="USD")
    assert balance(bank, a) == -500
    with pytest.raises(errors.InsufficientFunds):
        bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000004", from_account_id=a,
                     to_account_id=b, amount_minor=1, currency="USD")


@pytest.mark.parametrize("status,error", [("frozen", errors.AccountFrozen),
                                          ("dormant", errors.AccountDormant)])
def test_blocked_accounts_refuse_debits(bank, status, error):
    a = bank.customer_account(deposit_minor=1_000)
    b = bank.customer_account()
    bank.ctx.run(accounts.set_status, SYSTEM, account_id=a, status=status, reason="test")
    with pytest.raises(error):
        bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000005",
                     from_account_id=a, to_account_id=b, amount_minor=1, currency="USD")


def test_closed_account_refuses_credit(bank):
    a = bank.customer_account(deposit_minor=1_000)
    b = bank.customer_account()
    bank.ctx.run(accounts.set_status, SYSTEM, account_id=b, status="closed", reason="left")
    with pytest.raises(errors.AccountClosed):
        bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="key-00000006",
                     from_account_id=a, to_account_id=b, amount_minor=1, currency="USD")


def test_bad_input_refused(bank):
    a = bank.customer_account(deposit_minor=1_000)
    b = bank.customer_account()
    eur = bank.customer_account("EUR")
    cases = [
        (dict(amount_minor=0), errors.NonPositiveAmount),
        (dict(amount_minor=-5), errors.NonPositiveAmount),
        (dict(amount_minor=10**16), errors.AmountTooLarge),
        (dict(currency="XXZ"), errors.UnknownCurrency),
        (dict(to_account_id=a), errors.SameAccountTransfer),
        (dict(to_account_id=eur), errors.CurrencyMismatch),
        (dict(to_account_id=999_999), errors.UnknownAccount),
        (dict(idempotency_key="short"), errors.InvalidIdempotencyKey),
    ]
    before = count(bank.ctx, JournalEntry)
    for i, (override, error) in enumerate(cases):
        kw = dict(idempotency_key=f"bad-input-{i:04d}", from_account_id=a, to_account_id=b,
                  amount_minor=100, currency="USD")
        kw.update(override)
        with pytest.raises(error):
            bank.ctx.run(ledger.transfer, SYSTEM, **kw)
    assert count(bank.ctx, JournalEntry) == before


def test_unbalanced_entry_refused(bank):
    a = bank.customer_account(deposit_minor=1_000)
    with pytest.raises(errors.UnbalancedEntry):
        bank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key="unbalanced-1", kind="adjust",
                     lines=[Line(a, 100, "USD"), Line(bank.gl["4000"], -99, "USD")])


def test_reversal_is_exact_and_once(bank):
    a = bank.customer_account(deposit_minor=10_000)
    b = bank.customer_account()
    e = bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="rev-orig-1", from_account_id=a,
                     to_account_id=b, amount_minor=4_000, currency="USD")
    r = bank.ctx.run(ledger.reverse_entry, SYSTEM, idempotency_key="rev-rev-1",
                     entry_id=e.entry_id, reason="teller error")
    assert [p.amount_minor for p in r.postings] == [-p.amount_minor for p in e.postings]
    assert balance(bank, a) == 10_000 and balance(bank, b) == 0
    with pytest.raises(errors.AlreadyReversed):
        bank.ctx.run(ledger.reverse_entry, SYSTEM, idempotency_key="rev-rev-2",
                     entry_id=e.entry_id, reason="again")
    with pytest.raises(errors.CannotReverseReversal):
        bank.ctx.run(ledger.reverse_entry, SYSTEM, idempotency_key="rev-rev-3",
                     entry_id=r.entry_id, reason="undo the undo")


def test_hot_account_balance_is_sum_of_shards(bank):
    a = bank.customer_account(deposit_minor=10_000)
    fee = bank.gl["4000"]
    for i in range(5):
        bank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key=f"fee-{i:06d}", kind="fee",
                     lines=[Line(a, 100, "USD"), Line(fee, -100, "USD")])
    assert balance(bank, fee) == 500
    assert balance(bank, a) == 9_500


@pytest.mark.parametrize("sql", ["UPDATE postings SET amount_minor = 1",
                                 "DELETE FROM postings",
                                 "UPDATE journal_entries SET memo = 'x'",
                                 "DELETE FROM audit_events"])
def test_ledger_rows_cannot_be_changed(bank, sql):
    a = bank.customer_account(deposit_minor=1_000)
    assert a
    with pytest.raises(Exception, match="append-only"):
        with bank.ctx.engine.begin() as conn:
            conn.execute(text(sql))
