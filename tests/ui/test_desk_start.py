"""`cbs desk`: starts on a ready bank, explains an empty database instead of crashing."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app import main as desk
from app.cli import build_parser
from app.cli import main as cli_main
from core.clock import Clock
from core.db import Base, make_engine
from core.services import identity, setup
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext
from ui import themes
from ui.desk import Desk
from ui.main_window import MainWindow

PASSWORD = "First-Admin-Passw0rd"


class ModalWatcher:
    """Answers the modal dialogs the start-up shows and keeps their text."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(50)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def poll(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            self.texts.append(f"{modal.text()}\n{modal.informativeText()}")
            modal.accept()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def watcher(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("CBS_HOME", str(tmp_path / "home"))  # logs stay out of the real home
    w = ModalWatcher()
    yield w
    w.stop()
    themes.apply_theme(qapp, themes.DEFAULT_THEME)


def test_parser_knows_desk():
    args = build_parser().parse_args(["desk", "--url", "sqlite:///x.db", "--theme", "dark",
                                      "--demo", "--section", "audit"])
    assert args.sub_url == "sqlite:///x.db" and args.theme == "dark" and args.demo
    assert args.section == "audit"


def test_missing_file_is_explained_not_created(tmp_path, watcher):
    path = tmp_path / "nowhere.sqlite3"
    assert cli_main(["desk", "--url", f"sqlite:///{path}"]) == 1
    assert "There is no database" in watcher.texts[0] and "cbs demo" in watcher.texts[0]
    assert not path.exists()


def test_empty_database_is_explained(tmp_path, watcher):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    make_engine(url).connect().close()  # the file exists, without tables
    assert desk.run_desk(url) == 1
    assert "no CBS tables" in watcher.texts[0] and "cbs db upgrade" in watcher.texts[0]


def test_database_without_a_bank_is_explained(tmp_path, watcher):
    url = f"sqlite:///{tmp_path / 'schema.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    assert desk.run_desk(url) == 1
    assert "no bank is set up" in watcher.texts[0]


def test_demo_flag_builds_the_bank_then_opens_the_login(qtbot, tmp_path, watcher,
                                                       monkeypatch, cheap_hasher):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    built: list[str] = []

    def ensure_demo_database(target: str) -> None:
        built.append(target)
        engine = make_engine(target)
        Base.metadata.create_all(engine)
        ctx = CoreContext(engine=engine, clock=Clock(), workstation="demo")
        ctx.run(setup.init_bank, SYSTEM, bank_name="Demo", base_currency="USD",
                business_date=date(2026, 12, 4))
        ctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office", currencies=("USD",))
        engine.dispose()

    fake = types.ModuleType("app.demo")
    fake.ensure_demo_database = ensure_demo_database  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.demo", fake)
    opened = desk.open_desk(url, demo=True, theme="dark")
    assert isinstance(opened, Desk)
    qtbot.addWidget(opened.login)
    try:
        assert built == [url]
        login = opened.login
        assert login.isVisible()
        assert "cbs users create-admin" in login.hint.text()  # nobody can log in yet
        opened.ctx.run(identity.create_user, SYSTEM, username="first.admin",
                       full_name="First Admin", role="administrator", branch_id=None,
                       password=PASSWORD, temporary=False)
        qtbot.keyClicks(login.username, "first.admin")
        qtbot.keyClicks(login.password, PASSWORD)
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: opened.window is not None, timeout=10_000)
        window = opened.window
        assert isinstance(window, MainWindow)
        assert window.theme == "dark" and window.isVisible() and not login.isVisible()
        status = window.findChild(QLabel, "statusBusinessDate")
        qtbot.waitUntil(lambda: "2026" in status.text(), timeout=10_000)
        assert "first.admin" in window.findChild(QLabel, "statusUser").text()
        assert watcher.texts == []
    finally:
        opened.close()
        opened.ctx.engine.dispose()


def test_password_never_shown():
    label = desk.database_label("postgresql://teller:s3cret@db.example:5432/cbs")
    assert "s3cret" not in label and "db.example" in label


def _ready_bank(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'bank.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="t")
    ctx.run(setup.init_bank, SYSTEM, bank_name="B", base_currency="USD",
            business_date=date(2026, 12, 4))
    engine.dispose()
    return url


def test_section_option_opens_that_screen_after_login(qtbot, tmp_path, watcher, cheap_hasher):
    args = build_parser().parse_args(["desk", "--section", "sanctions_hits"])
    assert args.section == "sanctions_hits"
    url = _ready_bank(tmp_path)
    engine = make_engine(url)
    CoreContext(engine=engine, clock=Clock(), workstation="t").run(
        identity.create_user, SYSTEM, username="officer", full_name="Compliance Officer",
        role="compliance_officer", branch_id=None, password=PASSWORD, temporary=False)
    engine.dispose()
    opened = desk.open_desk(url, section="sanctions_lists")
    assert isinstance(opened, Desk)
    qtbot.addWidget(opened.login)
    try:
        qtbot.keyClicks(opened.login.username, "officer")
        qtbot.keyClicks(opened.login.password, PASSWORD)
        qtbot.keyClick(opened.login.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: opened.window is not None, timeout=10_000)
        assert opened.window.current_screen().objectName() == "screen_sanctions_lists"
    finally:
        opened.close()
        opened.ctx.engine.dispose()


def test_unknown_section_is_explained(tmp_path, watcher):
    assert desk.run_desk(_ready_bank(tmp_path), section="nowhere") == 1
    assert "no section 'nowhere'" in watcher.texts[0]
    assert "sanctions_hits" in watcher.texts[0]
