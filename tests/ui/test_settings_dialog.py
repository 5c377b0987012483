"""File > Settings: test and save a database; the PostgreSQL password goes to the keyring only."""

from __future__ import annotations

import keyring

from app import settings
from app.desk_settings import DeskSettings
from core.clock import Clock
from core.db import make_engine
from core.unit_of_work import CoreContext
from tests.identity.test_credentials import MemoryKeyring
from ui.settings_dialog import SettingsDialog
from ui.tasks import make_pool

WAIT_MS = 10_000


def test_settings_dialog_tests_and_saves_without_the_password(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CBS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CBS_DATABASE_URL", raising=False)
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    ctx = CoreContext(engine=make_engine(db), clock=Clock(), workstation="ws")
    try:
        dialog = SettingsDialog(DeskSettings(), ctx, make_pool(), current_url=db)
        qtbot.addWidget(dialog)
        assert not dialog.password.isEnabled()  # SQLite has no password
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.result.text().startswith("Connected: SQLite"),
                        timeout=WAIT_MS)
        pg = "postgresql+psycopg://teller@db.example:5432/cbs"
        dialog.url.setText(pg)
        assert dialog.password.isEnabled()
        qtbot.keyClicks(dialog.password, "s3cret-pw")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: dialog.result.text().startswith("Saved"), timeout=WAIT_MS)
        saved = settings.settings_path().read_text()
        assert "s3cret-pw" not in saved and "db.example" in saved
        assert list(ring.entries.values()) == ["s3cret-pw"]
        assert settings.load().database_url == pg  # the next start uses it
    finally:
        keyring.set_keyring(previous)
        ctx.engine.dispose()


def test_idle_minutes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CBS_HOME", str(tmp_path))
    monkeypatch.setenv("CBS_IDLE_LOCK_MINUTES", "2.5")
    assert settings.load("sqlite:///x.db").idle_lock_minutes == 2.5
    monkeypatch.setenv("CBS_IDLE_LOCK_MINUTES", "soon")
    assert settings.load("sqlite:///x.db").idle_lock_minutes == 15
