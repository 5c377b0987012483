"""Start the desktop: QApplication, logging, theme, the core context, the login dialog.

open_desk builds everything up to a shown login dialog (tests drive it from there);
run_desk adds the event loop. After login the main window opens for the session's actor
(ui/desk.py). For looking at screens under Xvfb, CBS_DESK_USER and CBS_DESK_PASSWORD fill in
and submit the login (a developer option: the password sits in the environment).
"""

from __future__ import annotations

import html
import logging
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app import logging_setup, settings
from app.bootstrap import build_context
from core.errors import DomainError
from core.services import calendar, identity
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext

if TYPE_CHECKING:
    from ui.desk import Desk

log = logging.getLogger("cbs.app.desk")

READY = "ready"
NO_FILE = "no_file"
NO_SCHEMA = "no_schema"
NO_BANK = "no_bank"


def database_label(url: str) -> str:
    """The URL as shown to the user: never with its password."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file_missing(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    db = parsed.database or ""
    return db in ("", ":memory:") or not Path(db).exists()


def database_state(ctx: CoreContext) -> str:
    """READY when the schema exists and the bank is set up; otherwise what is missing."""
    if not inspect(ctx.engine).has_table("bank_calendar"):
        return NO_SCHEMA
    try:
        ctx.read(calendar.business_date, SYSTEM)
    except DomainError:
        return NO_BANK
    return READY


def no_users_hint(ctx: CoreContext, label: str) -> str:
    """What the login dialog says when nobody can log in yet."""
    if ctx.read(identity.list_users, SYSTEM, limit=1):
        return ""
    return (f"No user exists yet. Create the first administrator with:\n"
            f"    cbs users create-admin NAME --full-name \"Full Name\" --url {label}")


def demo_users_hint() -> str:
    """`cbs desk --demo`: who can log in to the demo bank."""
    from app import demo

    names = ", ".join(username for username, _name, _role in demo.DEMO_USERS)
    return f"Demo users: {names}\nPassword: {demo.DEMO_PASSWORD}"


def connect_url(url: str) -> str:
    """The URL to connect with: a PostgreSQL password comes from the OS keyring when stored."""
    from keyring.errors import KeyringError

    from app import credentials

    try:
        return credentials.url_with_password(url)
    except KeyringError:
        log.warning("no usable keyring: connecting without a stored password")
        return url


def _build_demo(url: str) -> None:
    """Build the demo bank on a thread while a busy dialog keeps the screen painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from app.demo import ensure_demo_database  # the demo builder is heavy: import on use

    failure: list[BaseException] = []

    def build() -> None:
        try:
            ensure_demo_database(url)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the GUI thread below
            failure.append(exc)

    dialog = QProgressDialog("Preparing the demo bank…", "", 0, 0)
    dialog.setWindowTitle("CBS Python")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    worker = threading.Thread(target=build, name="demo-build", daemon=True)
    worker.start()
    while worker.is_alive():
        QApplication.processEvents()
        worker.join(0.05)
    dialog.close()
    if failure:
        raise failure[0]


def _explain(state: str, label: str, detail: str = "") -> tuple[str, str]:
    """(what is wrong, how to fix it): plain text; the dialog renders the commands apart."""
    how = (f"Create it with one of:\n"
           f"    cbs db upgrade --url {label}    (the tables, no data)\n"
           f"    cbs demo --url {label}          (a demo bank with sample data)\n"
           f"or start the desktop with:  cbs desk --demo --url {label}")
    if state == NO_FILE:
        return f"There is no database at {label}.", how
    if state == NO_SCHEMA:
        return f"The database {label} has no CBS tables yet.", how
    if state == NO_BANK:
        return (f"The database {label} has tables but no bank is set up in it.",
                f"Fill it with the demo bank:\n    cbs demo --url {label}")
    return f"Cannot open the database {label}.", detail


def _refuse(headline: str, how: str = "") -> int:
    from PySide6.QtWidgets import QMessageBox

    log.warning("desk refused to start: %s", headline)
    print(f"cbs desk: {headline}\n{how}".rstrip(), file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Warning, "CBS Python", headline)
    box.setObjectName("startupMessage")
    if how:
        box.setInformativeText(f"<pre>{html.escape(how)}</pre>")
    box.exec()
    return 1


def open_desk(url: str | None = None, *, demo: bool = False, theme: str = "light",
              workstation: str | None = None, section: str | None = None) -> Desk | int:
    """Everything up to a shown login dialog; or the exit code after explaining why not."""
    from PySide6.QtWidgets import QApplication

    from ui import themes
    from ui.desk import Desk
    from ui.lock import idle_lock_ms
    from ui.sections import default_sections

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CBS Python")
    app.setOrganizationName("CBS Python")
    s = settings.load(url, workstation)
    logging_setup.setup(s.log_level)
    label = database_label(s.database_url)
    themes.apply_theme(app, theme)
    if demo:
        try:
            _build_demo(s.database_url)
        except ImportError:
            log.exception("desk --demo: no demo builder")
            return _refuse("This installation has no demo data builder (app.demo).")
        except Exception as exc:
            log.exception("desk --demo: the demo bank could not be built")
            return _refuse(*_explain("error", label, str(exc)))
    elif sqlite_file_missing(s.database_url):
        return _refuse(*_explain(NO_FILE, label))
    ctx = build_context(replace(s, database_url=connect_url(s.database_url)))
    try:
        state = database_state(ctx)
        hint = no_users_hint(ctx, label) if state == READY else ""
    except SQLAlchemyError as exc:
        log.exception("desk could not open the database")
        ctx.engine.dispose()
        return _refuse(*_explain("error", label, str(getattr(exc, "orig", exc)).strip()))
    if state != READY:
        ctx.engine.dispose()
        return _refuse(*_explain(state, label))
    keys = [sec.key for sec in default_sections()]  # the role is known only after login
    if section and section not in keys:
        ctx.engine.dispose()
        return _refuse(f"There is no section '{section}'.",
                       f"The sections are: {', '.join(keys)}")
    from app.desk_settings import open_settings_dialog

    desk = Desk(ctx, database_label=label, theme=theme, workstation=s.workstation,
                idle_lock_ms=idle_lock_ms(s.idle_lock_minutes), start_section=section,
                open_settings=open_settings_dialog)
    desk.start()
    desk.login.show_hint(hint or (demo_users_hint() if demo else ""))
    _developer_login(desk)
    log.info("desk started database=%s", label)
    return desk


def _developer_login(desk: Desk) -> None:
    """CBS_DESK_USER / CBS_DESK_PASSWORD: fill in and submit the login (screenshots, demos)."""
    user, password = os.environ.get("CBS_DESK_USER"), os.environ.get("CBS_DESK_PASSWORD")
    if user and password:
        desk.login.username.setText(user)
        desk.login.password.setText(password)
        desk.login.submit()


def run_desk(url: str | None = None, *, demo: bool = False, theme: str = "light",
             workstation: str | None = None, section: str | None = None) -> int:
    """`cbs desk`: open the login and run the event loop until the last window closes."""
    from PySide6.QtWidgets import QApplication

    opened = open_desk(url, demo=demo, theme=theme, workstation=workstation, section=section)
    if isinstance(opened, int):
        return opened
    try:
        return int(QApplication.exec())
    finally:
        opened.close()
        opened.ctx.engine.dispose()
