"""The desktop session loop: login dialog -> main window for the session's actor -> logout -> login.

Desk owns the pool and the windows; app/main.py builds it (the composition root) and runs the
event loop. Logout ends the session through the service off the GUI thread, closes the window
and shows the login dialog again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from core import limits
from core.dto import SessionDTO
from core.services import authentication
from core.services.authz import ANONYMOUS
from core.unit_of_work import CoreContext
from ui import themes
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.sections import Section
from ui.tasks import TaskRunner, make_pool


class Desk(QObject):
    sig_window_opened = Signal(object)  # MainWindow
    sig_logged_out = Signal()

    def __init__(self, ctx: CoreContext, *, database_label: str,
                 theme: str = themes.DEFAULT_THEME, workstation: str | None = None,
                 idle_lock_ms: int = 0, sections: Sequence[Section] | None = None,
                 page_rows: int = limits.UI_PAGE_ROWS, pool: QThreadPool | None = None,
                 open_settings: Callable[[MainWindow], None] | None = None,
                 start_section: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.pool = pool if pool is not None else make_pool()
        self._database_label = database_label
        self._theme = theme
        self._workstation = workstation
        self._idle_lock_ms = idle_lock_ms
        self._sections = sections
        self._page_rows = page_rows
        self._open_settings = open_settings
        self._start_section = start_section
        self.window: MainWindow | None = None
        self._runner = TaskRunner(ctx, ANONYMOUS, self.pool, self)
        self.login = LoginDialog(ctx, self.pool, database_label=database_label,
                                 workstation=workstation)
        self.login.sig_logged_in.connect(self._on_logged_in)

    def start(self) -> None:
        self.login.reset()
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()

    @Slot(object)
    def _on_logged_in(self, session: object) -> None:
        assert isinstance(session, SessionDTO)
        window = MainWindow(self.ctx, session.actor, database_label=self._database_label,
                            sections=self._sections, theme=self._theme, pool=self.pool,
                            page_rows=self._page_rows, session=session,
                            idle_lock_ms=self._idle_lock_ms, workstation=self._workstation)
        window.sig_logout_requested.connect(self.logout)
        window.sig_theme_changed.connect(self._on_theme_changed)
        if self._open_settings is not None:
            opener = self._open_settings
            window.sig_settings_requested.connect(lambda: opener(window))
        self.login.hide()
        self.window = window
        if self._start_section and self._start_section in window.section_keys():
            window.show_section(self._start_section)
        self._start_section = None  # only for the first window (developer option)
        window.show()
        self.sig_window_opened.emit(window)

    @Slot(str)
    def _on_theme_changed(self, name: str) -> None:
        self._theme = name

    @Slot()
    def logout(self) -> None:
        window, self.window = self.window, None
        if window is None:
            return
        session = window.session
        if session is not None:
            # ended on a worker; a failure (session ended by an administrator) changes nothing
            self._runner.submit(self.ctx.run, authentication.logout, session.actor,
                                session_id=session.session_id, reason="logout")
        window.close()
        window.deleteLater()
        self.login.reset(self.login.tr("You are logged out."))
        self.login.show()
        self.sig_logged_out.emit()

    def close(self) -> None:
        """Quit: end the open session, close whatever is open and wait for running tasks."""
        window, self.window = self.window, None
        if window is not None:
            if window.session is not None:
                self._runner.submit(self.ctx.run, authentication.logout, window.session.actor,
                                    session_id=window.session.session_id, reason="quit")
            window.close()
        self.login.close()
        self.pool.waitForDone(limits.UI_SHUTDOWN_WAIT_MS)
