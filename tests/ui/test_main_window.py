"""The main window on a real bank (SQLite and PostgreSQL), driven as a user would."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QListWidget, QTableView

from core import errors
from core.rules.chart import STANDARD_CHART
from tests.ui.conftest import CUSTOMERS, TELLER_PAGE_ROWS, desk_actor
from tests.ui.test_messages_formatting import Shouting
from ui.formatting import format_amount, format_date
from ui.messages import message_for
from ui.sections import ACCOUNTS_SCREEN, Section

GL_ACCOUNTS = len(STANDARD_CHART)  # the standard chart in USD that the bank fixture creates
WAIT_MS = 10_000


def _screen(window):
    return window.findChild(QTableView, "accountsTable").model(), window


def _loaded(qtbot, window):
    model, _ = _screen(window)
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=WAIT_MS)
    return model


def _search(qtbot, window, text: str):
    box = window.findChild(QLineEdit, "accountsSearch")
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    model = window.findChild(QTableView, "accountsTable").model()
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    return model


def test_window_shows_accounts_and_status(qtbot, desk_bank, make_window):
    window = make_window(desk_bank)
    model = _loaded(qtbot, window)
    assert window.section_keys()[0] == "accounts"
    # whole pages only; the view may ask for more pages until its viewport is full
    assert model.rowCount() >= TELLER_PAGE_ROWS
    assert model.exhausted or model.rowCount() % TELLER_PAGE_ROWS == 0
    first = model.row_at(0)
    assert model.data(model.index(0, 0)) == first.number
    assert model.data(model.index(0, 5)) == format_amount(first.ledger_balance_minor, "USD")
    status_date = window.findChild(QLabel, "statusBusinessDate")
    qtbot.waitUntil(lambda: format_date(date(2026, 12, 4)) in status_date.text(),
                    timeout=WAIT_MS)
    assert "tester" in window.findChild(QLabel, "statusUser").text()
    assert "all branches" in window.findChild(QLabel, "statusBranch").text()
    assert "sqlite:///test.sqlite3" in window.findChild(QLabel, "statusDatabase").text()


def test_scrolling_loads_every_account_once_in_order(qtbot, desk_bank, make_window):
    window = make_window(desk_bank)
    window.resize(1000, 300)  # room for a few rows: the rest must come by scrolling
    model = _loaded(qtbot, window)
    table = window.findChild(QTableView, "accountsTable")
    qtbot.wait(200)
    assert not model.exhausted and model.rowCount() < GL_ACCOUNTS + len(CUSTOMERS)
    pages = 0
    for _ in range(20):
        if model.exhausted:
            break
        table.scrollToBottom()  # the view asks the model for more, as a user scrolling would
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
        pages += 1
    ids = [a.account_id for a in model.rows()]
    assert len(ids) == GL_ACCOUNTS + len(CUSTOMERS)
    assert ids == sorted(set(ids))
    assert pages >= 2


def test_search_filters_by_name_word_and_number(qtbot, desk_bank, make_window):
    window = make_window(desk_bank)
    _loaded(qtbot, window)
    model = _search(qtbot, window, "ada")  # a name prefix, any case
    assert [a.name for a in model.rows()] == ["Ada Lovelace USD", "Adam Smith USD"]
    model = _search(qtbot, window, "adam")
    assert [a.name for a in model.rows()] == ["Adam Smith USD"]
    model = _search(qtbot, window, "hopp")  # the prefix of a later word of the name
    assert [a.name for a in model.rows()] == ["Grace Hopper USD"]
    number = model.rows()[0].number
    model = _search(qtbot, window, number[:8])
    assert number in [a.number for a in model.rows()]
    assert all(a.number.startswith(number[:8]) for a in model.rows())
    model = _search(qtbot, window, "nobody-like-this")
    assert model.rowCount() == 0
    assert "nobody-like-this" in window.findChild(QLabel, "screenInfo").text()


def test_kind_filter_shows_only_customer_accounts(qtbot, desk_bank, make_window):
    window = make_window(desk_bank, page_rows=50)
    model = _loaded(qtbot, window)
    kind = window.findChild(QComboBox, "accountsKind")
    kind.setCurrentIndex(kind.findData("customer"))
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == len(CUSTOMERS),
                    timeout=WAIT_MS)
    assert {a.kind for a in model.rows()} == {"customer"}


def test_refusal_is_shown_as_the_translated_sentence(qtbot, desk_bank, make_window):
    """A role that may open the screen but not read accounts: the service says no."""
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    try:
        sections = [Section("accounts", "Accounts", "desk.open", ACCOUNTS_SCREEN)]
        window = make_window(desk_bank, desk_actor("desk.open"), sections=sections)
        banner = window.findChild(QLabel, "screenMessage")
        qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
        expected = message_for(errors.PermissionDenied(user="tester", action="accounts.view"))
        assert banner.text() == expected == "USER tester DOES NOT HAVE THE PERMISSION accounts.view."
        assert window.findChild(QTableView, "accountsTable").model().rowCount() == 0
    finally:
        QCoreApplication.removeTranslator(translator)


def test_navigation_offers_only_permitted_sections(qtbot, desk_bank, make_window):
    window = make_window(desk_bank, desk_actor("teller.cash"))
    nav = window.findChild(QListWidget, "navList")
    assert nav.count() == 0 and window.section_keys() == []
    assert window.stack.currentWidget().objectName() == "noSections"


def test_theme_switch_from_the_view_menu(qtbot, desk_bank, make_window):
    window = make_window(desk_bank)
    app = QApplication.instance()
    with qtbot.waitSignal(window.sig_theme_changed, timeout=WAIT_MS) as blocker:
        window.theme_actions["dark"].trigger()
    assert blocker.args == ["dark"]
    assert window.theme == "dark" and app.property("cbs_theme") == "dark"
    assert "#1b1f27" in app.styleSheet()  # the dark theme's window colour
    window.theme_actions["light"].trigger()
    assert window.theme == "light" and "#1b1f27" not in app.styleSheet()


def test_shortcuts_are_bound(qtbot, desk_bank, make_window):
    window = make_window(desk_bank)
    _loaded(qtbot, window)
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert "F5" in [s.toString() for s in window.refresh_action.shortcuts()]
    assert window.section_actions[0].shortcut().toString() == "Ctrl+1"
    model = window.findChild(QTableView, "accountsTable").model()
    with qtbot.waitSignal(model.sig_page_loaded, timeout=WAIT_MS):
        window.refresh_action.trigger()  # F5 reloads the open screen from its first page
    assert model.rowCount() >= TELLER_PAGE_ROWS


def test_every_section_names_a_screen_class():
    import importlib

    from ui.screens.base import Screen
    from ui.sections import SECTIONS

    for section in SECTIONS:
        module, _, name = section.screen.partition(":")
        assert issubclass(getattr(importlib.import_module(module), name), Screen)
        assert "." in section.permission
