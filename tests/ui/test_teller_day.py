"""A whole teller day through the teller desk, driven by the keyboard (SQLite, PostgreSQL)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QSpinBox

from core.models.teller import TellerTransaction
from core.rules.ledger import Line
from core.services import accounts, ledger
from core.services.authz import SYSTEM
from core.services.teller import blotter
from tests.services.teller.conftest import desk, key, ledger_is_balanced  # noqa: F401
from tests.services.teller.staff import PASSWORD, staff  # noqa: F401
from ui.screens.teller.receipt_view import PdfPages

WAIT_MS = 15_000
TILL_CASH = 1_000_000  # 10,000.00 USD in the till before the day starts


def fund_till(desk, cash: int = TILL_CASH) -> None:  # noqa: F811
    desk.ctx.run(ledger.post_entry, SYSTEM, idempotency_key=key("fund"), kind="seed",
                 lines=[Line(desk.till_account, cash, "USD"),
                        Line(desk.bank.gl["3000"], -cash, "USD")])


def balance(ctx, account_id: int) -> int:
    return ctx.read(accounts.get_account, SYSTEM, account_id=account_id).ledger_balance_minor


def teller_screen(qtbot, make_window, desk, staff):  # noqa: F811
    window = make_window(desk.bank, staff.teller)
    window.show_section("teller")
    activate(qtbot, window)
    screen = window.current_screen()
    assert screen.objectName() == "screen_teller"
    qtbot.waitUntil(lambda: screen.till.count() == 1 and not screen.calls.busy, timeout=WAIT_MS)
    return screen


def activate(qtbot, widget) -> None:
    """Shortcuts (Ctrl+P, F4, Esc) go to the active window."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def type_count(qtbot, dialog, pieces: dict[int, int]) -> None:
    for denom, n in pieces.items():
        spin = dialog.findChild(QSpinBox, f"count_USD_{denom}")
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, str(n))


def open_till(qtbot, screen) -> None:
    qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    dialog = screen.count_dialog
    type_count(qtbot, dialog, {10_000: 99})  # one note short: the books say 100
    qtbot.keyClick(dialog.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert "10,000.00" in dialog.error.text() and "9,900.00" in dialog.error.text()
    type_count(qtbot, dialog, {10_000: 100})
    qtbot.keyClick(dialog.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.session is not None, timeout=WAIT_MS)
    assert screen.form.isEnabled()


def choose_account(qtbot, screen, query: str) -> None:
    lookup = screen.lookup
    lookup.search.clear()
    qtbot.keyClicks(lookup.search, query)
    qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lookup.results.count() > 0 and focused(screen, lookup.results),
                    timeout=WAIT_MS)
    qtbot.keyClick(lookup.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused(screen, screen.form.amount, screen.form.to_account),
                    timeout=WAIT_MS)


def focused(screen, *widgets) -> bool:
    """Where the keyboard goes (the offscreen window need not be the active one)."""
    return screen.window().focusWidget() in widgets


def enter_amount(qtbot, screen, text: str) -> None:
    form = screen.form
    form.amount.clear()
    qtbot.keyClicks(form.amount, text)
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)


def quote_and_confirm(qtbot, screen, text: str) -> None:
    form = screen.form
    enter_amount(qtbot, screen, text)
    qtbot.waitUntil(lambda: form.confirm.isEnabled() and focused(screen, form.confirm),
                    timeout=WAIT_MS)
    qtbot.keyClick(form.confirm, Qt.Key.Key_Return)


def wait_message(qtbot, screen, part: str) -> str:
    qtbot.waitUntil(lambda: part in screen.form.message.text(), timeout=WAIT_MS)
    return screen.form.message.text()


def journal(screen):
    return screen.blotter.model.rows()


def test_a_whole_teller_day(qtbot, make_window, desk, staff, tmp_path):  # noqa: F811
    ctx, bank = desk.ctx, desk.bank
    ada = bank.customer_account(deposit_minor=100_000, name="Ada Lovelace")
    bob = bank.customer_account(deposit_minor=1_000_000, name="Brian Kernighan")
    bob_no = ctx.read(accounts.get_account, SYSTEM, account_id=bob).number
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)

    # Deposit 1,500.00 to Ada, all by keyboard; the fee is quoted before the confirmation.
    choose_account(qtbot, screen, "Ada Lov")
    assert "1,000.00 USD" in screen.lookup.available.text()
    quote_and_confirm(qtbot, screen, "1,500.00")
    assert "Posted" in wait_message(qtbot, screen, "Posted")
    assert balance(ctx, ada) == 250_000 and desk.till_cash() == TILL_CASH + 150_000
    screen.printer_factory = lambda: _pdf_printer(tmp_path / "receipt.pdf")
    activate(qtbot, screen)  # the offscreen platform leaves no window active after a dialog
    qtbot.keyClick(screen.form.print, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.receipt_dialog is not None, timeout=WAIT_MS)
    first = screen.receipt_dialog
    assert not first.receipt.duplicate and "DUPLICATE" not in PdfPages(first.pdf).text()
    qtbot.mouseClick(first.print_button, Qt.MouseButton.LeftButton)
    assert first.printed_pages == 1 and (tmp_path / "receipt.pdf").stat().st_size > 1000
    first.close()

    # 3,000.00 (+ 3.00 fee) from Ada is more than she has: the sentence shown, nothing written.
    before = desk.counts()
    choose_account(qtbot, screen, "Ada")
    screen.form.kind.setCurrentIndex(1)
    quote_and_confirm(qtbot, screen, "3000")
    text = wait_message(qtbot, screen, "available")
    ada_no = ctx.read(accounts.get_account, SYSTEM, account_id=ada).number
    assert text == f"Account {ada_no} has 2,500.00 USD available; 3,003.00 USD was asked."
    assert desk.counts() == before

    # 6,000.00 from Brian is above the teller's limit: wrong credentials, then the right ones.
    choose_account(qtbot, screen, "Kernighan")
    quote_and_confirm(qtbot, screen, "6,000.00")
    qtbot.waitUntil(lambda: screen.form.dialog is not None, timeout=WAIT_MS)
    dialog = screen.form.dialog
    qtbot.keyClicks(dialog.username, "hana.h")
    qtbot.keyClicks(dialog.password, "not-her-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert "password" in dialog.error.text() and desk.counts() == before
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    wait_message(qtbot, screen, "Approved by hana.h")
    assert balance(ctx, bob) == 1_000_000 - 600_000 - 600  # the quoted 6.00 fee

    # Transfer 100.00 from Ada to Brian (F4), the other account typed by its number.
    choose_account(qtbot, screen, "Ada")
    activate(qtbot, screen)
    qtbot.keyClick(screen.form, Qt.Key.Key_F4)
    qtbot.keyClicks(screen.form.to_account, bob_no)
    quote_and_confirm(qtbot, screen, "100")
    wait_message(qtbot, screen, "Posted")
    qtbot.waitUntil(lambda: len(journal(screen)) == 3, timeout=WAIT_MS)

    # The supervisor reverses the deposit from the journal, with a reason; then a reprint.
    screen.blotter.table.selectRow(0)
    qtbot.mouseClick(screen.blotter.reverse, Qt.MouseButton.LeftButton)
    rev = screen.reverse_dialog
    qtbot.keyClicks(rev.reason, "wrong customer")
    qtbot.keyClicks(rev.username, "hana.h")
    qtbot.keyClicks(rev.password, PASSWORD)
    qtbot.keyClick(rev.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(journal(screen)) and journal(screen)[0].reversed_by == "hana.h",
                    timeout=WAIT_MS)
    transfer_fee = journal(screen)[2].fee_minor  # as quoted on the screen before confirming
    assert balance(ctx, ada) == 100_000 - 10_000 - transfer_fee
    assert desk.till_cash() == TILL_CASH - 600_000
    screen.blotter.table.selectRow(0)
    qtbot.mouseClick(screen.blotter.reprint, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.receipt_dialog is not first, timeout=WAIT_MS)
    again = screen.receipt_dialog
    assert again.receipt.duplicate and "DUPLICATE" in PdfPages(again.pdf).text()
    again.close()
    totals = {(t.kind, t.count, t.amount_minor) for t in screen.blotter.totals.rows()}
    assert totals == {("withdrawal", 1, 600_000), ("transfer", 1, 10_000)}

    # Evening: a blind count 100.00 short; a supervisor approves the variance with a note.
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    count = screen.count_dialog
    type_count(qtbot, count, {10_000: 39})  # 3,900.00 counted, the books say 4,000.00
    qtbot.keyClick(count.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: count.error.isVisible(), timeout=WAIT_MS)
    assert "-100.00 USD" in count.error.text()
    qtbot.keyClicks(count.note, "one note missing")
    qtbot.keyClicks(count.supervisor, "hana.h")
    qtbot.keyClicks(count.password, PASSWORD)
    qtbot.keyClick(count.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.session is None and screen.count_dialog is None,
                    timeout=WAIT_MS)
    assert "-100.00 USD" in screen.till_status.text() and not screen.form.isEnabled()
    assert desk.till_cash() == 390_000  # the till's books equal the count
    ledger_is_balanced(ctx)


def _pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_a_double_enter_posts_once(qtbot, make_window, desk, staff):  # noqa: F811
    ctx, bank = desk.ctx, desk.bank
    ada = bank.customer_account(deposit_minor=0, name="Ada Lovelace")
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    choose_account(qtbot, screen, "Lovelace")
    form = screen.form
    enter_amount(qtbot, screen, "250")
    qtbot.waitUntil(lambda: focused(screen, form.confirm), timeout=WAIT_MS)
    first_key = form.key
    qtbot.keyClick(form.confirm, Qt.Key.Key_Return)
    qtbot.keyClick(form.confirm, Qt.Key.Key_Return)
    qtbot.keyClick(form.amount, Qt.Key.Key_Return)
    wait_message(qtbot, screen, "Posted")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not screen.calls.busy, timeout=WAIT_MS)
    rows = ctx.read(blotter.session_journal, staff.teller,
                    session_id=screen.session.session_id).rows
    assert [(r.amount_minor, r.account_id) for r in rows] == [(25_000, ada)]
    assert balance(ctx, ada) == 25_000 and form.key != first_key
    assert desk.counts()[2] == 1 == len(rows)
    assert TellerTransaction.__tablename__  # the count above is of this table
