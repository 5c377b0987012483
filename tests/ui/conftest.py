"""Fixtures for the desktop tests: a bank with customer accounts, the main window on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from core.unit_of_work import Actor
from ui import themes
from ui.main_window import MainWindow

CUSTOMERS = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson",
             "Edsger Dijkstra", "Barbara Liskov", "Adam Smith")
TELLER_PAGE_ROWS = 5  # small pages so a handful of accounts spans several


def desk_actor(*permissions: str) -> Actor:
    return Actor(username="tester", role="test", permissions=frozenset(permissions or {"*"}))


@pytest.fixture
def desk_bank(bank):
    """The `bank` fixture (15 USD GL accounts) plus one funded account per customer."""
    bank.customer_ids = [bank.customer_account("USD", deposit_minor=100_000 * (n + 1), name=name)
                         for n, name in enumerate(CUSTOMERS)]
    return bank


@pytest.fixture
def make_window(qtbot) -> Iterator:
    made: list[MainWindow] = []

    def make(bank, actor: Actor | None = None, **kw) -> MainWindow:
        kw.setdefault("database_label", "sqlite:///test.sqlite3")
        kw.setdefault("page_rows", TELLER_PAGE_ROWS)
        window = MainWindow(bank.ctx, actor or desk_actor(), **kw)
        qtbot.addWidget(window)
        window.resize(1200, 700)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()  # waits for running tasks before the engine is disposed
    app = QApplication.instance()
    if isinstance(app, QApplication):
        themes.apply_theme(app, themes.DEFAULT_THEME)


@pytest.fixture
def cheap_hasher(monkeypatch: pytest.MonkeyPatch):
    """argon2id at minimal cost so logins in tests stay fast (production keeps OWASP's)."""
    from argon2 import PasswordHasher, Type

    from core.services import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "DEFAULT_HASHER", cheap)
    return cheap
