"""Fixtures shared by the desktop identity tests: the identity test bank and a Desk on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.identity.conftest import NEW_PASSWORD, IdBank
from ui import themes
from ui.desk import Desk
from ui.main_window import MainWindow

WAIT_MS = 10_000


@pytest.fixture
def make_desk(qtbot) -> Iterator:
    made: list[Desk] = []

    def make(bank: IdBank, **kw) -> Desk:
        kw.setdefault("database_label", "sqlite:///test.sqlite3")
        kw.setdefault("page_rows", 5)
        desk = Desk(bank.ctx, **kw)
        qtbot.addWidget(desk.login)
        desk.start()
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.close()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        themes.apply_theme(app, themes.DEFAULT_THEME)


def type_login(qtbot, desk: Desk, username: str, password: str = NEW_PASSWORD,
               code: str | None = None) -> None:
    """Type into the login dialog as a user would, press Enter, wait for the answer."""
    login = desk.login
    login.username.clear()
    qtbot.keyClicks(login.username, username)
    login.password.clear()
    qtbot.keyClicks(login.password, password)
    if code is not None:
        login.totp.clear()
        qtbot.keyClicks(login.totp, code)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not login.busy, timeout=WAIT_MS)


def logged_in(qtbot, desk: Desk, username: str, password: str = NEW_PASSWORD) -> MainWindow:
    type_login(qtbot, desk, username, password)
    qtbot.waitUntil(lambda: desk.window is not None, timeout=WAIT_MS)
    assert desk.window is not None
    return desk.window
