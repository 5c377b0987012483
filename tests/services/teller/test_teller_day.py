"""A whole teller day through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from core import errors
from core.services import accounts
from core.services.authz import SYSTEM
from core.services.teller import blotter, movements, tills, transactions
from tests.services.teller.conftest import HANA, TINA, TOM, key, ledger_is_balanced


def balance(ctx, account_id: int) -> int:
    return ctx.read(accounts.get_account, SYSTEM, account_id=account_id).ledger_balance_minor


def test_a_whole_teller_day(desk):
    ctx, bank = desk.ctx, desk.bank
    a = bank.customer_account(deposit_minor=100_000, name="Ada Lovelace")
    b = bank.customer_account(deposit_minor=1_000_000, name="Brian Kernighan")

    # Morning: open the empty till, the head teller sends 10,000.00 from the vault.
    sess = ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={})
    assert sess.status == "open" and sess.balances[0].opening_minor == 0
    assert ctx.read(tills.current_session, TINA, till_id=desk.till_id) == sess
    sent = ctx.run(movements.send_cash, HANA, idempotency_key=key("vault"), currency="USD",
                   amount_minor=1_000_000, to_till_id=desk.till_id)
    assert sent.status == "pending" and desk.till_cash() == 0
    got = ctx.run(movements.confirm_cash, TINA, idempotency_key=key("conf"),
                  movement_id=sent.movement_id)
    assert got.status == "confirmed" and desk.till_cash() == 1_000_000

    dep = ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(), session_id=sess.session_id,
                  account_id=a, amount_minor=50_000, currency="USD")
    assert dep.fee_minor == 0 and balance(ctx, a) == 150_000
    assert dep.till_position.balance_minor == 1_050_000 and not dep.vault_transfer_needed

    # Withdrawal above the available balance: refused, nothing written.
    before = desk.counts()
    with pytest.raises(errors.InsufficientFunds):
        ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(),
                session_id=sess.session_id, account_id=a, amount_minor=200_000, currency="USD")
    assert desk.counts() == before and balance(ctx, a) == 150_000

    # 6,000.00 is above the teller's 5,000.00 withdrawal limit.
    big = dict(session_id=sess.session_id, account_id=b, amount_minor=600_000, currency="USD")
    with pytest.raises(errors.OverrideRequired):
        ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(), **big)
    with pytest.raises(errors.SelfOverride):
        ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(), supervisor=TINA, **big)
    with pytest.raises(errors.OverrideNotPermitted):
        ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(), supervisor=TOM, **big)
    assert desk.counts() == before
    quote = ctx.read(transactions.quote_fee, TINA, kind="withdrawal", amount_minor=600_000,
                     currency="USD")
    wd = ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(), supervisor=HANA, **big)
    assert wd.override_by == "hana" and wd.fee_minor == quote.fee_minor == 600
    assert balance(ctx, b) == 1_000_000 - 600_000 - 600
    assert desk.till_cash() == 1_050_000 - 600_000

    tr = ctx.run(transactions.transfer, TINA, idempotency_key=key(), session_id=sess.session_id,
                 from_account_id=a, to_account_id=b, amount_minor=10_000, currency="USD")
    assert tr.fee_minor == 50 and tr.till_position is None
    assert balance(ctx, a) == 150_000 - 10_050

    # The supervisor reverses the morning deposit; twice is refused, and the teller cannot.
    with pytest.raises(errors.PermissionDenied):
        ctx.run(transactions.reverse_transaction, TINA, idempotency_key=key(),
                transaction_id=dep.transaction_id, reason="wrong account")
    rev = ctx.run(transactions.reverse_transaction, HANA, idempotency_key=key("rev"),
                  transaction_id=dep.transaction_id, reason="wrong account")
    assert rev.reversal_entry_id and rev.reversed_by == "hana"
    with pytest.raises(errors.AlreadyReversed):
        ctx.run(transactions.reverse_transaction, HANA, idempotency_key=key("rev"),
                transaction_id=dep.transaction_id, reason="again")
    assert balance(ctx, a) == 100_000 - 10_050
    expected_cash = 1_000_000 - 600_000
    assert desk.till_cash() == expected_cash

    journal = ctx.read(blotter.session_journal, TINA, session_id=sess.session_id)
    totals = {(t.currency, t.kind): (t.count, t.amount_minor, t.fee_minor) for t in journal.totals}
    assert totals == {("USD", "withdrawal"): (1, 600_000, 600), ("USD", "transfer"): (1, 10_000, 50)}
    assert journal.reversed_count == 1 and len(journal.rows) == 3
    view = ctx.read(blotter.branch_positions, HANA, branch_id=bank.branch_id)
    assert [(p.till_code, p.teller, p.positions[0].balance_minor) for p in view] == [
        ("T1", "tina", expected_cash)]
    with pytest.raises(errors.PermissionDenied):
        ctx.read(blotter.branch_positions, TINA, branch_id=bank.branch_id)

    # Evening: a blind count 10.00 short; the variance needs a supervisor and a note.
    count = {"USD": {10_000: 39, 5_000: 1, 2_000: 2}}  # 3,990.00
    with pytest.raises(errors.SupervisorNoteRequired):
        ctx.run(tills.close_session, TINA, session_id=sess.session_id, idempotency_key=key(),
                counted=count)
    with pytest.raises(errors.SupervisorNoteRequired):
        ctx.run(tills.close_session, TINA, session_id=sess.session_id, idempotency_key=key(),
                counted=count, supervisor=HANA, note="  ")
    close_key = key("close")
    closed = ctx.run(tills.close_session, TINA, session_id=sess.session_id,
                     idempotency_key=close_key, counted=count, supervisor=HANA,
                     note="short 10.00, recounted twice")
    before = desk.counts()
    assert ctx.run(tills.close_session, TINA, session_id=sess.session_id,
                   idempotency_key=close_key, counted=count, supervisor=HANA,
                   note="short 10.00, recounted twice") == closed  # a retry posts nothing
    assert desk.counts() == before
    bal = closed.balances[0]
    assert (bal.expected_minor, bal.counted_minor, bal.variance_minor) == (
        expected_cash, 399_000, -1_000)
    assert closed.status == "closed" and closed.variance_entry_id
    assert desk.till_cash() == 399_000
    assert balance(ctx, bank.gl["5100"]) == 1_000
    ledger_is_balanced(ctx)

    # A closed till cannot transact.
    with pytest.raises(errors.TillClosed):
        ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(),
                session_id=sess.session_id, account_id=a, amount_minor=100, currency="USD")
    # The next morning's count must match what the till holds.
    with pytest.raises(errors.OpeningCountMismatch):
        ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={})
    again = ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted=count)
    assert again.balances[0].opening_minor == 399_000
