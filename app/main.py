"""Start the desktop: QApplication, logging, theme, the core context, the main window.

Until login exists the window opens for an actor given here (named after the OS user, with the
system's permissions); the window takes the actor as an argument, never from a global.
"""

from __future__ import annotations

import getpass
import html
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app import logging_setup, settings
from app.bootstrap import build_context
from core.errors import DomainError
from core.services import calendar
from core.services.authz import ALL
from core.unit_of_work import Actor, CoreContext

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("cbs.app.desk")

READY = "ready"
NO_FILE = "no_file"
NO_SCHEMA = "no_schema"
NO_BANK = "no_bank"


def desktop_actor() -> Actor:
    """Stand-in for the logged-in user until the login dialog exists: the OS user, all rights."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "desktop"
    return Actor(username=name, role="system", permissions=frozenset({ALL}))


def database_label(url: str) -> str:
    """The URL as shown to the user: never with its password."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file_missing(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    db = parsed.database or ""
    return db in ("", ":memory:") or not Path(db).exists()


def database_state(ctx: CoreContext, actor: Actor) -> str:
    """READY when the schema exists and the bank is set up; otherwise what is missing."""
    if not inspect(ctx.engine).has_table("bank_calendar"):
        return NO_SCHEMA
    try:
        ctx.read(calendar.business_date, actor)
    except DomainError:
        return NO_BANK
    return READY


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
              workstation: str | None = None, section: str | None = None) -> MainWindow | int:
    """Everything up to a shown main window; or the exit code after explaining why not."""
    from PySide6.QtWidgets import QApplication

    from ui import themes
    from ui.main_window import MainWindow
    from ui.sections import default_sections, visible_sections

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
    ctx = build_context(s)
    actor = desktop_actor()
    try:
        state = database_state(ctx, actor)
    except SQLAlchemyError as exc:
        log.exception("desk could not open the database")
        ctx.engine.dispose()
        return _refuse(*_explain("error", label, str(getattr(exc, "orig", exc)).strip()))
    if state != READY:
        ctx.engine.dispose()
        return _refuse(*_explain(state, label))
    keys = [s.key for s in visible_sections(default_sections(), actor)]
    if section and section not in keys:
        ctx.engine.dispose()
        return _refuse(f"There is no section '{section}' for this user.",
                       f"The sections are: {', '.join(keys)}")
    window = MainWindow(ctx, actor, database_label=label, theme=theme)
    if section:
        window.show_section(section)
    window.show()
    log.info("desk started user=%s database=%s", actor.username, label)
    return window


def run_desk(url: str | None = None, *, demo: bool = False, theme: str = "light",
             workstation: str | None = None, section: str | None = None) -> int:
    """`cbs desk`: open the window and run the event loop until it closes."""
    from PySide6.QtWidgets import QApplication

    opened = open_desk(url, demo=demo, theme=theme, workstation=workstation, section=section)
    if isinstance(opened, int):
        return opened
    try:
        return int(QApplication.exec())
    finally:
        opened.shell.ctx.engine.dispose()
