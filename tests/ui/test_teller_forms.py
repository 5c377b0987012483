"""Teller desk details: Esc, bad amounts, the checker-inbox route, the head teller's view."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, Qt, QTranslator
from PySide6.QtGui import QColor, QImage

from core.services import accounts, makerchecker
from core.services.authz import SYSTEM
from core.services.teller import lookup, tills
from tests.services.teller.conftest import desk  # noqa: F401
from tests.services.teller.staff import staff  # noqa: F401
from tests.ui.test_teller_day import (
    WAIT_MS,
    activate,
    choose_account,
    enter_amount,
    focused,
    fund_till,
    open_till,
    teller_screen,
    wait_message,
)


def _png(color: str) -> bytes:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_esc_and_bad_amounts_post_nothing(qtbot, make_window, desk, staff):  # noqa: F811
    acc = desk.bank.customer_account(deposit_minor=100_000, name="Grace Hopper")
    customer = desk.ctx.read(accounts.get_account, SYSTEM, account_id=acc).customer_id
    desk.ctx.run(lookup.set_customer_media, SYSTEM, customer_id=customer, photo=_png("navy"),
                 photo_mime="image/png", signature=_png("white"), signature_mime="image/png")
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    before = desk.counts()
    choose_account(qtbot, screen, "Grace")
    # The photo and specimen signature are on screen before any money moves.
    assert not screen.lookup.photo.pixmap().isNull()
    assert not screen.lookup.signature.pixmap().isNull()
    form = screen.form
    enter_amount(qtbot, screen, "12.345")
    assert wait_message(qtbot, screen, "decimal") == \
        "USD allows 2 decimal places; '12.345' has more."
    enter_amount(qtbot, screen, "12abc")
    assert wait_message(qtbot, screen, "not an amount") == "'12abc' is not an amount."
    enter_amount(qtbot, screen, "40")
    qtbot.waitUntil(lambda: form.confirm.isEnabled(), timeout=WAIT_MS)
    assert "fee 0.00 USD" in form.summary.text()
    activate(qtbot, screen)
    qtbot.keyClick(form.confirm, Qt.Key.Key_Escape)  # back to the amount, nothing posted
    assert not form.confirm.isEnabled() and focused(screen, form.amount)
    assert form.amount.text() == "40.00"  # shown in the locale's format
    qtbot.keyClick(form.amount, Qt.Key.Key_Escape)  # clears the form
    assert form.amount.text() == "" and desk.counts() == before


def test_a_withdrawal_above_the_limit_goes_to_the_checker_inbox(
        qtbot, make_window, desk, staff):  # noqa: F811
    desk.bank.customer_account(deposit_minor=1_000_000, name="Alan Turing")
    fund_till(desk)
    screen = teller_screen(qtbot, make_window, desk, staff)
    open_till(qtbot, screen)
    before = desk.counts()
    choose_account(qtbot, screen, "Turing")
    screen.form.kind.setCurrentIndex(1)
    enter_amount(qtbot, screen, "7000")
    qtbot.waitUntil(lambda: screen.form.confirm.isEnabled(), timeout=WAIT_MS)
    qtbot.keyClick(screen.form.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.form.dialog is not None, timeout=WAIT_MS)
    qtbot.mouseClick(screen.form.dialog.inbox, Qt.MouseButton.LeftButton)
    wait_message(qtbot, screen, "checker inbox")
    assert desk.counts() == before  # nothing paid yet
    pending = desk.ctx.read(makerchecker.list_pending, staff.head)
    assert [(p.action, p.maker, p.params["amount_minor"]) for p in pending] == [
        ("teller.withdrawal_override", "tina.t", 700_000)]
    desk.ctx.run(makerchecker.approve, staff.head, request_id=pending[0].request_id)
    assert desk.till_cash() == 1_000_000 - 700_000


def test_the_head_teller_sees_the_open_tills(qtbot, make_window, desk, staff):  # noqa: F811
    fund_till(desk)
    desk.ctx.run(tills.open_session, staff.teller, till_id=desk.till_id,
                 counted={"USD": {10_000: 100}})
    window = make_window(desk.bank, staff.head)
    window.show_section("teller_branch")
    screen = window.current_screen()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=WAIT_MS)
    row = screen.model.row_at(0)
    assert (row.till, row.teller, row.balance_minor) == ("T1", "tina.t", 1_000_000)
    assert screen.info.text() == "Open tills: 1 (F5 refreshes)"


class _TellerShouting(QTranslator):
    """A stand-in for a .qm file: the teller screen's texts in upper case."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        return source.upper() if context in ("TransactionForm", "TellerScreen",
                                             "LookupPanel", "BlotterPanel", "teller") else ""


def test_a_language_change_retranslates_the_desk(qtbot, make_window, desk, staff):  # noqa: F811
    screen = teller_screen(qtbot, make_window, desk, staff)
    translator = _TellerShouting()
    QCoreApplication.installTranslator(translator)
    try:
        # Qt announces a new translator only inside exec(): the test sends what it would.
        QCoreApplication.sendEvent(screen.window(), QEvent(QEvent.Type.LanguageChange))
        assert screen.form.confirm.text() == "CONFIRM (ENTER)"
        assert screen.open_button.text() == "OPEN TILL…"
        assert screen.form.kind.itemText(1) == "CASH WITHDRAWAL"
        amount_label = screen.form._form.labelForField(screen.form._amount_row)
        assert amount_label.text() == "AMOUNT"
        assert screen.lookup._form.labelForField(screen.lookup.ledger).text() == "LEDGER BALANCE"
        assert screen.lookup.search.placeholderText().startswith("NAME, ACCOUNT")
        assert screen.blotter.model.headerData(1, Qt.Orientation.Horizontal) == "REFERENCE"
    finally:
        QCoreApplication.removeTranslator(translator)
    QCoreApplication.sendEvent(screen.window(), QEvent(QEvent.Type.LanguageChange))
    assert screen.form.confirm.text() == "Confirm (Enter)"
