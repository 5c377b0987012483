"""The settings dialog's backend: keyring for the PostgreSQL password, the settings file for
the URL (without password). Lives in app/ because the UI knows no keyring or files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app import credentials, settings
from core import errors

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class DeskSettings:
    def test(self, url: str, password: str | None) -> tuple[bool, str]:
        _check_url(url)
        check = credentials.test_connection(url, password)
        return check.ok, check.message

    def save(self, url: str, password: str | None) -> str:
        _check_url(url)
        if password and make_url(url).get_backend_name() == "postgresql":
            credentials.store_password(url, password)
        return str(settings.save_database_url(url))


def _check_url(url: str) -> None:
    try:
        make_url(url)
    except ArgumentError as exc:
        raise errors.InvalidInput(field="database URL", reason=str(exc)) from exc


def open_settings_dialog(window: MainWindow) -> None:
    from ui.settings_dialog import SettingsDialog

    current = settings.without_password(window.shell.ctx.engine.url.render_as_string(
        hide_password=False))
    dialog = SettingsDialog(DeskSettings(), window.shell.ctx, window.shell.pool,
                            current_url=current, parent=window)
    dialog.setModal(True)
    dialog.open()
