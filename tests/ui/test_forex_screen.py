"""The forex screen driven as a teller and an FX desk would, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from sqlalchemy import func, select

from core.clock import FixedClock
from core.models.ledger import Posting
from core.rules.ledger import Line
from core.services import accounts, fx, fx_exchange, ledger, setup
from core.services.authz import SYSTEM
from core.services.teller import tills
from core.unit_of_work import Actor
from ui.formatting import format_money
from ui.screens.base import ShellContext
from ui.screens.forex.exchange_form import COUNTER
from ui.screens.forex.forex_screen import ForexScreen
from ui.screens.forex.rate_board import AGE_COLUMN
from ui.tasks import make_pool

WAIT_MS = 10_000
NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
CURRENCIES = ("EUR", "JPY", "BHD")
# (currency, buy, sell, mid, hours before NOW): USD per unit; EUR has a history of three
RATES = (("EUR", "1.06", "1.10", "1.08", 3), ("EUR", "1.07", "1.11", "1.09", 2),
         ("EUR", "1.08", "1.12", "1.10", 1), ("JPY", "0.0066", "0.0068", "0.0067", 1),
         ("BHD", "2.64", "2.68", "2.66", 1))
MAKER = Actor("maria", role="fx", permissions=frozenset({"fx.rates.enter", "fx.view"}))
CHECKER = Actor("chen", role="fx", permissions=frozenset({"fx.rates.approve", "fx.view"}))
TELLER_PERMS = frozenset({"fx.view", "fx.exchange", "accounts.view", "teller.session"})
TILL_CASH = {"EUR": 500_000, "JPY": 1_000_000, "USD": 500_000, "BHD": 500_000}  # minor units


def _rate(ctx, clock, currency, buy, sell, mid, when):
    clock.at = when
    rate = ctx.run(fx.enter_rate, MAKER, currency=currency, buy=buy, sell=sell, mid=mid)
    return ctx.run(fx.approve_rate, CHECKER, rate_id=rate.rate_id)


@pytest.fixture
def fxdesk(bank):
    clock = FixedClock(NOW)
    bank.ctx.clock = clock
    for currency in CURRENCIES:
        bank.ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=bank.branch_id, currency=currency)
    for currency, buy, sell, mid, hours in RATES:
        _rate(bank.ctx, clock, currency, buy, sell, mid, NOW - timedelta(hours=hours))
    clock.at = NOW
    bank.clock = clock
    return bank


def open_till(bank, teller: str) -> dict[str, int]:
    """Till T1 holding TILL_CASH (moved in from the vault), opened by `teller`:
    {currency: till cash account}."""
    till = bank.ctx.run(tills.create_till, SYSTEM, branch_id=bank.branch_id, code="T1",
                        name="Counter 1", cash_limits_minor={c: 10**9 for c in TILL_CASH})
    cash = {tc.currency: tc.account_id for tc in till.currencies}
    for currency, amount in TILL_CASH.items():
        vault = bank.gl_for(currency, "1000")
        bank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key=f"till-fund-{currency}",
                     kind="till_fund", lines=[Line(cash[currency], amount, currency),
                                              Line(vault, -amount, currency)])
    actor = Actor(teller, role="test", branch_id=bank.branch_id, permissions=TELLER_PERMS)
    counted = {"EUR": {50_000: 10}, "JPY": {10_000: 100}, "USD": {10_000: 50},
               "BHD": {20_000: 25}}
    bank.ctx.run(tills.open_session, actor, till_id=till.till_id, counted=counted)
    return cash


@pytest.fixture
def open_screen(qtbot):
    made = []

    def open_(bank, *perms: str, name: str = "tom", tab: str = "board") -> ForexScreen:
        actor = Actor(name, role="test", branch_id=bank.branch_id,
                      permissions=TELLER_PERMS | frozenset(perms))
        pool = make_pool()
        screen = ForexScreen(ShellContext(bank.ctx, actor, pool))
        pool.setParent(screen)  # no task can reach a pool that went before its screen
        qtbot.addWidget(screen)
        screen.resize(1100, 700)
        screen.tabs.setCurrentWidget(getattr(screen, tab))
        screen.show()
        made.append((pool, screen))  # the test may hold only a part: keep the screen alive
        qtbot.waitUntil(lambda: screen.board.board.rowCount() == 3
                        and screen.exchange.from_currency.count() == 4, timeout=WAIT_MS)
        return screen

    yield open_
    for pool, screen in made:  # before the bank's engine goes: no timer may start a task
        for timer in screen.findChildren(QTimer):
            timer.stop()
        pool.waitForDone(WAIT_MS)
        screen.close()
        # Delete the widgets now, in the GUI thread: left to the garbage collector (reference
        # cycles through slots), they could be destroyed on a worker thread of a later test.
        screen.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _unbalanced(ctx):
    with ctx.engine.connect() as conn:
        per_entry = conn.execute(
            select(Posting.entry_id, Posting.currency, func.sum(Posting.amount_minor))
            .group_by(Posting.entry_id, Posting.currency)
            .having(func.sum(Posting.amount_minor) != 0)).all()
        per_ccy = conn.execute(
            select(Posting.currency, func.sum(Posting.amount_minor))
            .group_by(Posting.currency).having(func.sum(Posting.amount_minor) != 0)).all()
    return per_entry + per_ccy


def _balance(bank, account_id):
    return bank.ctx.read(accounts.get_account, SYSTEM, account_id=account_id).ledger_balance_minor


def _deals(bank):
    return bank.ctx.read(fx_exchange.list_deals, SYSTEM)


def _wait_quote(qtbot, form):
    qtbot.waitUntil(lambda: form.quote is not None, timeout=WAIT_MS)
    return form.quote


def test_exchange_between_accounts_shows_quote_and_posts_it(qtbot, fxdesk, open_screen):
    eur = fxdesk.customer_account("EUR", deposit_minor=100_000, name="Ada Lovelace")
    usd = fxdesk.customer_account("USD", deposit_minor=0, name="Ada Lovelace")
    numbers = [fxdesk.ctx.read(accounts.get_account, SYSTEM, account_id=a).number
               for a in (eur, usd)]
    form = open_screen(fxdesk, tab="exchange").exchange
    assert form.current_mode == "accounts"
    qtbot.keyClicks(form.from_account, numbers[0])
    qtbot.keyClick(form.from_account, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.to_account, numbers[1])
    qtbot.keyClick(form.to_account, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.amount, "250")
    qtbot.keyClicks(form.fee, "2.50")
    qtbot.keyClick(form.fee, Qt.Key.Key_Return)  # no quote shown yet: Enter asks for one
    quote = _wait_quote(qtbot, form)
    # 250 EUR at our buy 1.08 = 270.00 USD; the mid 1.10 would give 275.00: spread 5 EUR*
    assert (quote.from_currency, quote.to_currency) == ("EUR", "USD")
    assert quote.to_amount_minor == 27_000 and quote.fee_minor == 250
    assert form.quote_values["receives"].text() == format_money(27_000, "USD")
    assert form.quote_values["gives"].text() == format_money(25_250, "EUR")
    assert form.quote_values["spread"].text() == format_money(quote.spread_minor, "EUR")
    assert not form.stale_warning.isVisible() and form.confirm_button.isEnabled()
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)  # quote shown: Enter confirms
    qtbot.waitUntil(lambda: form.deal is not None, timeout=WAIT_MS)
    assert form.deal.entry_reference in form.message.text()
    assert form.amount.text() == "" and form.quote is None  # ready for the next customer
    assert _balance(fxdesk, eur) == 100_000 - 25_250
    assert _balance(fxdesk, usd) == 27_000
    assert _unbalanced(fxdesk.ctx) == []


def test_counter_exchange_in_the_till_double_confirm_posts_once(qtbot, fxdesk, open_screen):
    cash = open_till(fxdesk, "tom")
    form = open_screen(fxdesk, tab="exchange").exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    qtbot.waitUntil(lambda: form.till is not None, timeout=WAIT_MS)
    assert "T1" in form.till_info.text()
    form.from_currency.setCurrentText("EUR")
    form.to_currency.setCurrentText("JPY")
    qtbot.keyClicks(form.amount, "100")
    quote = _wait_quote(qtbot, form)
    # 100 EUR at 1.08 USD = 108 USD; JPY sold at 0.0068: 15,882.35 -> 15882 JPY (exponent 0)
    assert quote.to_amount_minor == 15_882
    key = form.key
    qtbot.mouseClick(form.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.confirm_button, Qt.MouseButton.LeftButton)
    form.confirm()
    qtbot.waitUntil(lambda: form.deal is not None, timeout=WAIT_MS)
    deals = _deals(fxdesk)
    assert len(deals) == 1 and deals[0].kind == "cash"
    assert deals[0].to_amount_minor == 15_882
    # the till took the euros in and paid the yen out
    assert (deals[0].debit_account_id, deals[0].credit_account_id) == (cash["EUR"], cash["JPY"])
    assert _balance(fxdesk, cash["EUR"]) == TILL_CASH["EUR"] + 10_000
    assert _balance(fxdesk, cash["JPY"]) == TILL_CASH["JPY"] - 15_882
    # a retry of the same request (lost answer) sends the same key: answered, not posted again
    again = fxdesk.ctx.run(fx_exchange.exchange_cash, SYSTEM, idempotency_key=key,
                           cash_in_account_id=deals[0].debit_account_id,
                           cash_out_account_id=deals[0].credit_account_id, amount_minor=10_000,
                           branch_id=fxdesk.branch_id, expected_counter_minor=15_882)
    assert again.replayed and again.deal_id == deals[0].deal_id
    assert len(_deals(fxdesk)) == 1
    assert _unbalanced(fxdesk.ctx) == []


def test_stale_quote_needs_override(qtbot, fxdesk, open_screen):
    open_till(fxdesk, "tom")
    fxdesk.clock.at = NOW + timedelta(days=2)
    screen = open_screen(fxdesk, tab="exchange")
    form = screen.exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    form.from_currency.setCurrentText("USD")
    form.to_currency.setCurrentText("BHD")
    qtbot.keyClicks(form.amount, "1000")
    quote = _wait_quote(qtbot, form)
    assert quote.stale
    assert form.stale_warning.isVisible() and form.override.isVisible()
    assert not form.override.isEnabled()  # the teller has no fx.override_stale
    assert not form.confirm_button.isEnabled()
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    form.confirm()
    qtbot.wait(200)
    assert _deals(fxdesk) == []
    # the board marks the stale rates
    board = screen.board.board
    assert all(board.data(board.index(r, AGE_COLUMN), Qt.ItemDataRole.ForegroundRole) is not None
               for r in range(board.rowCount()))


def test_supervisor_overrides_a_stale_quote(qtbot, fxdesk, open_screen):
    cash = open_till(fxdesk, "sara")
    fxdesk.clock.at = NOW + timedelta(days=2)
    form = open_screen(fxdesk, "fx.override_stale", name="sara", tab="exchange").exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    qtbot.waitUntil(lambda: form.till is not None, timeout=WAIT_MS)
    form.from_currency.setCurrentText("USD")
    form.to_currency.setCurrentText("BHD")
    qtbot.keyClicks(form.amount, "1000")
    assert _wait_quote(qtbot, form).stale
    assert form.override.isEnabled() and not form.confirm_button.isEnabled()
    form.override.setChecked(True)
    assert form.confirm_button.isEnabled()
    qtbot.mouseClick(form.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.deal is not None, timeout=WAIT_MS)
    assert form.deal.stale_override and form.deal.to_currency == "BHD"
    assert _balance(fxdesk, cash["BHD"]) == TILL_CASH["BHD"] - form.deal.to_amount_minor
    assert _unbalanced(fxdesk.ctx) == []


def test_board_refreshes_when_another_user_approves(qtbot, fxdesk, open_screen):
    screen = open_screen(fxdesk, "fx.rates.enter", "fx.rates.approve", name="maria")
    board = screen.board
    board.poll_timer.setInterval(100)
    # the maker enters a rate on the screen and may not approve it herself
    qtbot.keyClicks(board.rate_currency, "GBP")
    qtbot.keyClicks(board.rate_buy, "1.25")
    qtbot.keyClicks(board.rate_sell, "1.29")
    qtbot.keyClick(board.rate_sell, Qt.Key.Key_Return)  # not on the last field: nothing yet
    board.enter_button.click()
    qtbot.waitUntil(lambda: board.pending.rowCount() == 1, timeout=WAIT_MS)
    board.pending_view.selectRow(0)
    qtbot.waitUntil(board.approve_button.isEnabled, timeout=WAIT_MS)
    board.approve_button.click()
    qtbot.waitUntil(lambda: "may not approve" in board.message.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: board.board.rowCount() == 3, timeout=WAIT_MS)  # GBP not in force
    # another user approves it: the board shows GBP without a refresh by hand
    pending = board.pending.row_at(0)
    fxdesk.ctx.run(fx.approve_rate, CHECKER, rate_id=pending.rate_id)
    qtbot.waitUntil(lambda: board.board.rowCount() == 4 and board.pending.rowCount() == 0,
                    timeout=WAIT_MS)
    gbp = [r for r in board.board.rows() if r.rate.currency == "GBP"][0]
    assert gbp.rate.buy == Decimal("1.25") and gbp.rate.approved_by == "chen"
    qtbot.waitUntil(lambda: screen.chart.currency.findText("GBP") >= 0, timeout=WAIT_MS)


def test_rejected_rate_file_names_the_line(qtbot, fxdesk, open_screen, tmp_path):
    board = open_screen(fxdesk, "fx.rates.import").board
    bad = tmp_path / "rates.csv"
    bad.write_text("currency,buy,sell\nJPY,0.0070,0.0072\nEUR,1.20,1.10\n")
    board.import_file(str(bad))
    qtbot.waitUntil(lambda: "line 3" in board.message.text(), timeout=WAIT_MS)
    assert fxdesk.ctx.read(fx.current_rates, SYSTEM)[2].buy == Decimal("0.0066")  # JPY kept
    good = tmp_path / "good.csv"
    good.write_text("currency,buy,sell\nJPY,0.0070,0.0072\n")
    board.import_file(str(good))
    qtbot.waitUntil(lambda: any(r.rate.buy == Decimal("0.0070") for r in board.board.rows()),
                    timeout=WAIT_MS)


def test_position_and_revaluation_twice(qtbot, fxdesk, open_screen):
    eur = fxdesk.customer_account("EUR", deposit_minor=100_000)
    usd = fxdesk.customer_account("USD")
    fxdesk.ctx.run(fx_exchange.exchange_between_accounts, SYSTEM, idempotency_key="seed-fx-1",
                   from_account_id=eur, to_account_id=usd, amount_minor=50_000)
    _rate(fxdesk.ctx, fxdesk.clock, "EUR", "1.13", "1.17", "1.15", NOW)
    view = open_screen(fxdesk, "fx.revalue", tab="position").position
    qtbot.waitUntil(lambda: view.model.rowCount() >= 2, timeout=WAIT_MS)
    eur_row = [p for p in view.model.rows() if p.currency == "EUR"][0]
    # 500 EUR bought at 1.08 = 540.00 USD enters the position at mid 1.10: 490.91 EUR;
    # at the new mid 1.15 it is worth 564.55 USD: 24.55 USD not yet posted
    assert eur_row.position_minor == 49_091 and eur_row.value_base_minor == 56_455
    assert eur_row.unrealised_base_minor == 2_455
    view.revalue_button.click()
    qtbot.waitUntil(lambda: view.last_run is not None, timeout=WAIT_MS)
    assert not view.last_run.replayed and "1 entries posted" in view.message.text()
    view.last_run = None
    view.revalue_button.click()
    qtbot.waitUntil(lambda: view.last_run is not None, timeout=WAIT_MS)
    assert view.last_run.replayed and "nothing was posted" in view.message.text()
    qtbot.waitUntil(lambda: [p.unrealised_base_minor for p in view.model.rows()
                             if p.currency == "EUR"] == [0], timeout=WAIT_MS)


def test_chart_plots_the_rate_history(qtbot, fxdesk, open_screen):
    chart = open_screen(fxdesk, tab="chart").chart
    chart.currency.setCurrentText("EUR")
    qtbot.waitUntil(lambda: len(chart.history) == 3 and chart.history[0].currency == "EUR",
                    timeout=WAIT_MS)
    xs, ys = chart.curves["mid"].getData()
    assert list(ys) == [1.08, 1.09, 1.10]
    assert list(xs) == sorted(xs) and xs[-1] - xs[0] == 2 * 3600
    assert [item[1].text for item in chart.legend.items] == ["We buy", "Mid", "We sell"]
    assert "USD per EUR" in chart.plot.getAxis("left").labelText


def test_counter_needs_an_open_till(qtbot, fxdesk, open_screen):
    form = open_screen(fxdesk, tab="exchange").exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    qtbot.waitUntil(lambda: "no open till" in form.till_info.text(), timeout=WAIT_MS)
    form.from_currency.setCurrentText("EUR")
    form.to_currency.setCurrentText("USD")
    qtbot.keyClicks(form.amount, "100")
    _wait_quote(qtbot, form)  # the rate may be quoted, but no cash moves without a till
    assert not form.confirm_button.isEnabled()
    form.confirm()
    qtbot.wait(200)
    assert _deals(fxdesk) == []


def test_counter_refuses_what_the_till_cannot_pay(qtbot, fxdesk, open_screen):
    cash = open_till(fxdesk, "tom")
    form = open_screen(fxdesk, tab="exchange").exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    qtbot.waitUntil(lambda: form.till is not None, timeout=WAIT_MS)
    form.from_currency.setCurrentText("USD")
    form.to_currency.setCurrentText("EUR")
    qtbot.keyClicks(form.amount, "90000")  # 90,000 USD buys more euros than the till holds
    _wait_quote(qtbot, form)
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "available" in form.message.text(), timeout=WAIT_MS)
    assert _deals(fxdesk) == [] and _balance(fxdesk, cash["EUR"]) == TILL_CASH["EUR"]
    assert form.key is not None and form.quote is not None  # the same request may be retried


def test_quote_follows_a_new_rate(qtbot, fxdesk, open_screen):
    open_till(fxdesk, "tom")
    screen = open_screen(fxdesk, tab="exchange")
    screen.board.poll_timer.setInterval(100)
    form = screen.exchange
    form.mode.setCurrentIndex(form.mode.findData(COUNTER))
    qtbot.waitUntil(lambda: form.till is not None, timeout=WAIT_MS)
    form.from_currency.setCurrentText("EUR")
    form.to_currency.setCurrentText("USD")
    qtbot.keyClicks(form.amount, "100")
    assert _wait_quote(qtbot, form).to_amount_minor == 10_800  # 100 EUR at buy 1.08
    key = form.key
    _rate(fxdesk.ctx, fxdesk.clock, "EUR", "1.18", "1.22", "1.20", NOW)  # another desk
    qtbot.waitUntil(lambda: form.quote.to_amount_minor == 11_800, timeout=WAIT_MS)
    assert form.quote_values["receives"].text() == format_money(11_800, "USD")
    assert form.key == key  # the same request: a retry still cannot post twice


def test_board_reload_keeps_the_chosen_pending_rate(qtbot, fxdesk, open_screen):
    for currency, buy, sell in (("GBP", "1.25", "1.29"), ("CHF", "1.10", "1.14")):
        fxdesk.ctx.run(fx.enter_rate, MAKER, currency=currency, buy=buy, sell=sell)
    board = open_screen(fxdesk, "fx.rates.approve", name="chen").board
    qtbot.waitUntil(lambda: board.pending.rowCount() == 2, timeout=WAIT_MS)
    board.pending_view.selectRow(1)
    chosen = board.selected_pending()
    board.reload()
    qtbot.waitUntil(lambda: board.selected_pending() == chosen, timeout=WAIT_MS)
    board.approve_button.click()
    qtbot.waitUntil(lambda: board.pending.rowCount() == 1, timeout=WAIT_MS)
    assert board.pending.row_at(0).rate_id != chosen.rate_id
    qtbot.waitUntil(lambda: chosen.currency in {r.rate.currency for r in board.board.rows()},
                    timeout=WAIT_MS)


def test_ecb_file_imported_through_the_board(qtbot, fxdesk, open_screen):
    from pathlib import Path

    daily = Path(__file__).resolve().parents[1] / "fixtures" / "fx" / "eurofxref-daily.xml"
    board = open_screen(fxdesk, "fx.rates.import").board
    board.import_file(str(daily))
    qtbot.waitUntil(lambda: board.message.text().startswith("Imported"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "GBP" in {r.rate.currency for r in board.board.rows()},
                    timeout=WAIT_MS)
    assert {r.rate.source for r in board.board.rows() if r.rate.currency == "GBP"} == {"ecb"}
