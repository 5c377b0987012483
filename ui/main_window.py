"""The main window: navigation on the left, the open screen in the middle, a status bar.

The sections shown are those the actor's permissions allow (ui/sections.py). The status bar
names the user, the branch, the bank's business date and the database; the business date and
branch are read through the TaskRunner like any other database work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from core import limits
from core.dto import SessionDTO
from core.errors import DomainError
from core.rules.permissions import ROLES
from core.services import calendar, setup
from core.unit_of_work import Actor, CoreContext
from ui import themes
from ui.formatting import format_date
from ui.lock import IdleWatcher, LockOverlay
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext
from ui.sections import Section, default_sections, visible_sections
from ui.tasks import TaskRunner, make_pool

MAX_SECTION_SHORTCUTS = 9  # Ctrl+1 .. Ctrl+9
MAX_DATABASE_LABEL_PX = 420  # the status bar's database label (full URL in its tooltip)


@dataclass(frozen=True)
class ShellStatus:
    business_date: date
    branch: str  # "HQ · Head office"; empty when the actor works for every branch


def load_shell_status(ctx: CoreContext, actor: Actor) -> ShellStatus:
    """Runs on a worker thread: what the status bar shows besides the user and database."""
    business_date = ctx.read(calendar.business_date, actor)
    branch = ""
    if actor.branch_id is not None:
        for b in ctx.read(setup.list_branches, actor):
            if b.branch_id == actor.branch_id:
                branch = f"{b.code} · {b.name}"
    return ShellStatus(business_date, branch)


class MainWindow(QMainWindow):
    sig_theme_changed = Signal(str)
    sig_section_shown = Signal(str)
    sig_logout_requested = Signal()
    sig_settings_requested = Signal()
    sig_lock_changed = Signal(bool)  # True when the idle lock covers the window

    def __init__(self, ctx: CoreContext, actor: Actor, *, database_label: str,
                 sections: Sequence[Section] | None = None, theme: str = themes.DEFAULT_THEME,
                 pool: QThreadPool | None = None, page_rows: int = limits.UI_PAGE_ROWS,
                 session: SessionDTO | None = None, idle_lock_ms: int = 0,
                 workstation: str | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = session
        self._workstation = workstation
        self.lock_overlay: LockOverlay | None = None
        self._locked_state: list[tuple[QWidget | QAction, bool]] = []
        self._focus_before_lock: QWidget | None = None
        self._pool = pool if pool is not None else make_pool()
        self.shell = ShellContext(ctx, actor, self._pool, page_rows)
        self._database_label = database_label
        self._sections = list(visible_sections(sections or default_sections(), actor))
        self._screens: dict[str, Screen] = {}
        self._runner = TaskRunner(ctx, actor, self._pool, self)
        self._status_task: int | None = None
        self._status: ShellStatus | None = None
        self._theme = theme
        self._build_ui()
        self._build_actions()
        self.retranslate_ui()
        self._runner.sig_task_finished.connect(self._on_task_finished)
        self._runner.sig_task_failed.connect(self._on_task_failed)
        self.nav.currentRowChanged.connect(self._on_nav_changed)
        self.set_theme(theme)
        if self._sections:
            self.nav.setCurrentRow(0)
        self.refresh_status()
        self.idle: IdleWatcher | None = None
        if idle_lock_ms > 0:
            self.idle = IdleWatcher(idle_lock_ms, self)
            self.idle.sig_idle.connect(self.lock)

    # --- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        avail = self.screen().availableGeometry()
        self.resize(min(1280, avail.width() * 9 // 10), min(800, avail.height() * 9 // 10))
        central = QWidget(objectName="centralArea")
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(objectName="navList")
        self.nav.setFixedWidth(200)
        for section in self._sections:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget(objectName="screenStack")
        self.empty = QLabel(objectName="noSections")
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        bar.setSizeGripEnabled(False)
        self.status_user = QLabel(objectName="statusUser")
        self.status_role = QLabel(objectName="statusRole")
        self.status_branch = QLabel(objectName="statusBranch")
        self.status_date = QLabel(objectName="statusBusinessDate")
        self.status_database = QLabel(objectName="statusDatabase")
        for label in (self.status_user, self.status_role, self.status_branch, self.status_date):
            bar.addWidget(label)
        bar.addPermanentWidget(self.status_database)

    def _build_actions(self) -> None:
        menubar = self.menuBar()
        self.file_menu = menubar.addMenu("")
        self.settings_action = QAction(self, objectName="actionSettings")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.sig_settings_requested)
        self.lock_action = QAction(self, objectName="actionLock")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.logout_action = QAction(self, objectName="actionLogout")
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.logout_action.triggered.connect(self.sig_logout_requested)
        self.totp_action = QAction(self, objectName="actionTotp")
        self.totp_action.triggered.connect(self.open_totp)
        self.totp_action.setEnabled(self.session is not None)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.totp_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addSeparator()
        self.lock_action.setEnabled(self.session is not None)
        self.logout_action.setEnabled(self.session is not None)
        self.quit_action = QAction(self, objectName="actionQuit")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = menubar.addMenu("")
        self.refresh_action = QAction(self, objectName="actionRefresh")
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        if self.refresh_action.shortcut().toString() != "F5":
            self.refresh_action.setShortcuts([QKeySequence("F5"), self.refresh_action.shortcut()])
        self.refresh_action.triggered.connect(self.refresh)
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addSeparator()
        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for name in themes.THEMES:
            action = QAction(self, objectName=f"actionTheme{name.title()}", checkable=True)
            action.setData(name)
            self.theme_group.addAction(action)
            self.view_menu.addAction(action)
            self.theme_actions[name] = action
        self.theme_group.triggered.connect(self._on_theme_action)

        self.go_menu = menubar.addMenu("")
        self.section_group = QActionGroup(self)
        self.section_group.setExclusive(False)
        self.section_actions: list[QAction] = []
        for row, section in enumerate(self._sections):
            action = QAction(self, objectName=f"actionGo_{section.key}")
            action.setData(row)
            if row < MAX_SECTION_SHORTCUTS:
                action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            self.section_group.addAction(action)
            self.go_menu.addAction(action)
            self.section_actions.append(action)
        self.section_group.triggered.connect(self._on_section_action)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("CBS Python"))
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.quit_action.setText(self.tr("&Quit"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.totp_action.setText(self.tr("&Two-factor authentication…"))
        self.lock_action.setText(self.tr("&Lock now"))
        self.logout_action.setText(self.tr("Log &out"))
        self.refresh_action.setText(self.tr("&Refresh"))
        self.theme_actions["light"].setText(self.tr("&Light theme"))
        self.theme_actions["dark"].setText(self.tr("&Dark theme"))
        for row, section in enumerate(self._sections):
            title = QCoreApplication.translate("sections", section.title)
            self.nav.item(row).setText(title)
            self.section_actions[row].setText(title)
        self.empty.setText(self.tr("Your role gives access to no section of the application."))
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # --- sections -----------------------------------------------------------------------------
    def section_keys(self) -> list[str]:
        return [s.key for s in self._sections]

    def current_screen(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def show_section(self, key: str) -> None:
        self.nav.setCurrentRow(self.section_keys().index(key))

    @Slot(int)
    def _on_nav_changed(self, row: int) -> None:
        if not 0 <= row < len(self._sections):
            self.stack.setCurrentWidget(self.empty)
            return
        section = self._sections[row]
        screen = self._screens.get(section.key)
        if screen is None:
            screen = section.create(self.shell)
            self._screens[section.key] = screen
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.sig_section_shown.emit(section.key)

    @Slot(QAction)
    def _on_section_action(self, action: QAction) -> None:
        self.nav.setCurrentRow(int(action.data()))

    # --- refresh, status bar ------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        screen = self.current_screen()
        if screen is not None:
            screen.refresh()
        self.refresh_status()

    def refresh_status(self) -> None:
        self._status_task = self._runner.submit(load_shell_status, self.shell.ctx,
                                                self.shell.actor)

    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        if task_id == self._status_task and isinstance(result, ShellStatus):
            self._status = result
            self._show_status()

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, error: object) -> None:
        if task_id == self._status_task and isinstance(error, DomainError):
            self.statusBar().showMessage(message_for(error))

    def _show_status(self) -> None:
        actor = self.shell.actor
        self.status_user.setText(self.tr("User: %1").replace("%1", actor.username))
        role = ROLES.get(actor.role, actor.role)
        self.status_role.setText(self.tr("Role: %1").replace(
            "%1", QCoreApplication.translate("roles", role)))
        branch = self._status.branch if self._status else ""
        if not branch:
            branch = self.tr("all branches") if actor.branch_id is None else "…"
        self.status_branch.setText(self.tr("Branch: %1").replace("%1", branch))
        when = format_date(self._status.business_date) if self._status else "…"
        self.status_date.setText(self.tr("Business date: %1").replace("%1", when))
        # a long PostgreSQL URL is cut in the middle so the bar never pushes it off-screen
        text = self.tr("Database: %1").replace("%1", self._database_label)
        self.status_database.setText(self.status_database.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideMiddle, MAX_DATABASE_LABEL_PX))
        self.status_database.setToolTip(self._database_label)

    # --- themes -------------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        return self._theme

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        themes.apply_theme(app, name)
        self._theme = name
        self.theme_actions[name].setChecked(True)
        self.sig_theme_changed.emit(name)

    @Slot(QAction)
    def _on_theme_action(self, action: QAction) -> None:
        self.set_theme(str(action.data()))

    @Slot()
    def open_totp(self) -> None:
        from ui.totp_dialog import TotpDialog

        self.totp_dialog = TotpDialog(self.shell.ctx, self.shell.actor, self._pool, self)
        self.totp_dialog.open()

    # --- idle lock ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.lock_overlay is not None

    @Slot()
    def lock(self) -> None:
        """Cover the window; the screens stay as they are (unsaved input survives)."""
        if self.locked or self.session is None:
            return
        if self.idle is not None:
            self.idle.pause()
        self._focus_before_lock = QApplication.focusWidget()
        # disabled, not destroyed: shortcuts and clicks cannot reach the screens underneath
        targets: list[QWidget | QAction] = [self.centralWidget(), self.menuBar(),
                                            *self.findChildren(QAction)]
        self._locked_state = [(t, t.isEnabled()) for t in targets]
        for target, _enabled in self._locked_state:
            if target is not self.quit_action:
                target.setEnabled(False)
        self.centralWidget().hide()
        overlay = LockOverlay(self.shell.ctx, self.shell.actor, self._pool,
                              session_id=self.session.session_id, workstation=self._workstation,
                              parent=self)
        overlay.sig_unlocked.connect(self._on_unlocked)
        overlay.sig_logout_requested.connect(self.sig_logout_requested)
        self.lock_overlay = overlay
        overlay.show()
        self.sig_lock_changed.emit(True)

    @Slot(object)
    def _on_unlocked(self, session: object) -> None:
        assert isinstance(session, SessionDTO)
        self.session = session
        overlay, self.lock_overlay = self.lock_overlay, None
        if overlay is not None:
            overlay.hide()
            overlay.deleteLater()
        for target, enabled in self._locked_state:
            target.setEnabled(enabled)
        self._locked_state = []
        self.centralWidget().show()
        if self._focus_before_lock is not None:
            self._focus_before_lock.setFocus()
        if self.idle is not None:
            self.idle.resume()
        self.sig_lock_changed.emit(False)

    # --- closing ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.idle is not None:
            self.idle.stop()
        # Running tasks hold database connections: let them finish before the engine goes.
        self._pool.waitForDone(limits.UI_SHUTDOWN_WAIT_MS)
        super().closeEvent(event)
