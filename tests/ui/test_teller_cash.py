"""Cash between a till and the vault through the teller desk's dialog (SQLite, PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from tests.services.teller.conftest import desk, ledger_is_balanced  # noqa: F401
from tests.services.teller.staff import PASSWORD, staff  # noqa: F401
from tests.ui.test_teller_day import (
    TILL_CASH,
    WAIT_MS,
    activate,
    balance,
    choose_account,
    fund_till,
    open_till,
    quote_and_confirm,
    teller_screen,
    wait_message,
)

VAULT_CASH = 5_000_000  # the desk fixture's vault seed


def cash_dialog(qtbot, screen):
    activate(qtbot, screen)
    qtbot.keyClick(screen, Qt.Key.Key_F8)  # the shortcut of the "Cash movements…" button
    qtbot.waitUntil(lambda: screen.cash_dialog is not None, timeout=WAIT_MS)
    dialog = screen.cash_dialog
    qtbot.waitUntil(lambda: not screen.calls.busy and dialog.isVisible(), timeout=WAIT_MS)
    return dialog


def pick_pending(dialog, movement_text: str) -> None:
    rows = [dialog.pending.item(r) for r in range(dialog.pending.count())]
    row = next(r for r, item in enumerate(rows) if movement_text in item.text())
    dialog.pending.setCurrentRow(row)


def test_till_to_vault_sent_by_the_teller_confirmed_by_the_head_teller(
        qtbot, make_window, desk, staff):  # noqa: F811
    ctx = desk.ctx
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    dialog = cash_dialog(qtbot, screen)
    assert dialog.source.currentText().startswith("T1")
    assert dialog.target.currentText() == "Vault" and dialog.currency.currentText() == "USD"

    # A typo first: the sentence, nothing sent; then 2,500.50 in the locale's format.
    qtbot.keyClicks(dialog.amount, "2,5x0")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.error.isVisible() and dialog.error.text() == "'2,5x0' is not an amount."
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "2,500.50")
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pending.count() == 1 and not screen.calls.busy,
                    timeout=WAIT_MS)
    assert "2,500.50 USD from T1 to Vault, sent by tina.t" in dialog.pending.item(0).text()
    assert desk.till_cash() == TILL_CASH - 250_050  # left the drawer, in transit
    assert balance(ctx, desk.bank.gl["1000"]) == VAULT_CASH

    # The teller cannot confirm their own movement: the service's sentence is shown.
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and "receiving side" in dialog.error.text(),
                    timeout=WAIT_MS)
    movement_id = int(dialog.pending.item(0).data(Qt.ItemDataRole.UserRole))
    assert dialog.error.text() == (f"tina.t sent cash movement {movement_id}; "
                                   "the receiving side must confirm it.")
    assert balance(ctx, desk.bank.gl["1000"]) == VAULT_CASH
    dialog.close()

    # The head teller, at their own desk, sees it waiting for the vault and confirms it.
    head = teller_screen(qtbot, make_window, desk, replace(staff, teller=staff.head))
    head_dialog = cash_dialog(qtbot, head)
    assert head_dialog.source.currentText() == "Vault"  # no till open: the vault side only
    qtbot.waitUntil(lambda: head_dialog.pending.count() == 1, timeout=WAIT_MS)
    pick_pending(head_dialog, f"#{movement_id}:")
    qtbot.mouseClick(head_dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"#{movement_id} confirmed" in head_dialog.info.text()
                    and head_dialog.pending.count() == 0 and not head.calls.busy,
                    timeout=WAIT_MS)
    assert not head_dialog.error.isVisible()
    assert desk.till_cash() == TILL_CASH - 250_050
    assert balance(ctx, desk.bank.gl["1000"]) == VAULT_CASH + 250_050
    assert balance(ctx, desk.bank.gl["1010"]) == 0  # nothing left in transit
    ledger_is_balanced(ctx)


def test_the_sender_cancels_and_the_cash_comes_back(qtbot, make_window, desk, staff):  # noqa: F811
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    qtbot.mouseClick(screen.cash_button, Qt.MouseButton.LeftButton)
    dialog = screen.cash_dialog
    qtbot.waitUntil(lambda: dialog.source.count() == 1 and not screen.calls.busy,
                    timeout=WAIT_MS)
    qtbot.keyClicks(dialog.amount, "20000")  # the till holds 10,000.00: refused, nothing sent
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert dialog.error.text() == ("Till T1 holds 10,000.00 USD; 20,000.00 USD was asked.")
    assert dialog.pending.count() == 0 and desk.till_cash() == TILL_CASH
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "300")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pending.count() == 1 and not screen.calls.busy,
                    timeout=WAIT_MS)
    assert desk.till_cash() == TILL_CASH - 30_000
    qtbot.mouseClick(dialog.cancel_movement, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in dialog.info.text() and dialog.pending.count() == 0
                    and not screen.calls.busy, timeout=WAIT_MS)
    assert desk.till_cash() == TILL_CASH and balance(desk.ctx, desk.bank.gl["1010"]) == 0
    ledger_is_balanced(desk.ctx)


def test_above_the_cash_limit_f8_prefills_the_excess(qtbot, make_window, desk, staff):  # noqa: F811
    desk.bank.customer_account(deposit_minor=10_000_000, name="Ada Lovelace")
    fund_till(desk)  # 10,000.00 in a till whose limit is 20,000.00
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    choose_account(qtbot, screen, "Ada Lov")
    quote_and_confirm(qtbot, screen, "12,000.00")
    qtbot.waitUntil(lambda: screen.form.dialog is not None, timeout=WAIT_MS)  # above the limit
    qtbot.keyClicks(screen.form.dialog.username, "hana.h")
    qtbot.keyClicks(screen.form.dialog.password, PASSWORD)
    qtbot.keyClick(screen.form.dialog.password, Qt.Key.Key_Return)
    text = wait_message(qtbot, screen, "Posted")
    assert "send 2,000.00 USD to the vault (F8)" in text
    dialog = cash_dialog(qtbot, screen)
    qtbot.waitUntil(lambda: dialog.amount.text() == "2,000.00", timeout=WAIT_MS)
    assert dialog.target.currentText() == "Vault" and dialog.currency.currentText() == "USD"
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pending.count() == 1 and not screen.calls.busy,
                    timeout=WAIT_MS)
    assert desk.till_cash() == TILL_CASH + 1_200_000 - 200_000
