"""Idle lock: no input for a while covers the window until the user's password is typed again.

IdleWatcher is an application-wide event filter: any key, click, wheel or mouse move restarts
its timer. On time-out the main window puts a LockOverlay over itself: the screens underneath
are disabled and hidden from view but not rebuilt, so unsaved input survives the lock. Unlocking
is a login through authentication.authenticate (failures counted, lockout applies, audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import errors, limits
from core.dto import SessionDTO
from core.errors import DomainError
from core.services import authentication
from core.services.authz import ANONYMOUS
from core.unit_of_work import Actor, CoreContext
from ui.messages import message_for
from ui.tasks import TaskRunner

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


def idle_lock_ms(minutes: float | None) -> int:
    """The idle time before the lock, in ms, within the named bounds (0 turns it off)."""
    if minutes is None:
        minutes = limits.IDLE_LOCK_MINUTES
    if minutes <= 0:
        return 0
    return int(min(minutes, limits.MAX_IDLE_LOCK_MINUTES) * 60_000)


class IdleWatcher(QObject):
    """Fires sig_idle after interval_ms without user input anywhere in the application."""

    sig_idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sig_idle)
        self.paused = False
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.paused:
            self.timer.start()
        return False  # only watching

    def pause(self) -> None:
        self.paused = True
        self.timer.stop()

    def resume(self) -> None:
        self.paused = False
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


@dataclass(frozen=True)
class UnlockTask:
    """Runs on a worker: log in again; the new session replaces the one that was locked."""

    ctx: CoreContext
    username: str
    password: str
    totp_code: str | None
    workstation: str | None
    old_session_id: int | None

    def __call__(self) -> SessionDTO:
        session = self.ctx.run(authentication.authenticate, ANONYMOUS, username=self.username,
                               password=self.password, totp_code=self.totp_code,
                               workstation=self.workstation)
        if self.old_session_id is not None:
            try:
                self.ctx.run(authentication.logout, session.actor,
                             session_id=self.old_session_id, reason="idle_unlock")
            except errors.UnknownSession:
                pass  # ended elsewhere (an administrator): the new session goes on
        return session


class LockOverlay(QFrame):
    """Covers its parent window; asks for the password of the user who is logged in."""

    sig_unlocked = Signal(object)  # the new SessionDTO
    sig_logout_requested = Signal()

    def __init__(self, ctx: CoreContext, actor: Actor, pool: QThreadPool, *,
                 session_id: int | None, workstation: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self._ctx, self._actor = ctx, actor
        self._session_id, self._workstation = session_id, workstation
        self._runner = TaskRunner(ctx, ANONYMOUS, pool, self)
        self._task: int | None = None
        self._build_ui()
        self.retranslate_ui()
        self._runner.sig_task_finished.connect(self._on_finished)
        self._runner.sig_task_failed.connect(self._on_failed)
        self.unlock_button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.totp.returnPressed.connect(self.submit)
        self.logout_button.clicked.connect(self.sig_logout_requested)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        panel = QFrame(objectName="lockPanel")
        panel.setFixedWidth(420)
        box = QVBoxLayout(panel)
        box.setContentsMargins(24, 20, 24, 20)
        self.title = QLabel(objectName="lockTitle")
        self.explain = QLabel(objectName="lockExplain")
        self.explain.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.explain)
        form = QFormLayout()
        self.password = QLineEdit(objectName="lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(limits.PASSWORD_MAX_CHARS)
        self.totp = QLineEdit(objectName="lockTotp")
        self.totp.setMaxLength(6)
        self.password_label, self.totp_label = QLabel(), QLabel()
        form.addRow(self.password_label, self.password)
        form.addRow(self.totp_label, self.totp)
        self.totp.hide()
        self.totp_label.hide()
        box.addLayout(form)
        self.message = QLabel(objectName="lockMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        buttons = QHBoxLayout()
        self.logout_button = QPushButton(objectName="lockLogout")
        self.unlock_button = QPushButton(objectName="lockUnlock")
        self.unlock_button.setDefault(True)
        buttons.addWidget(self.logout_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        box.addLayout(buttons)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Locked"))
        self.explain.setText(self.tr(
            "The window was locked after a period without input. Type the password of %1 to "
            "continue where you left off.").replace("%1", self._actor.username))
        self.password_label.setText(self.tr("&Password"))
        self.password_label.setBuddy(self.password)
        self.totp_label.setText(self.tr("One-time &code"))
        self.totp_label.setBuddy(self.totp)
        self.unlock_button.setText(self.tr("&Unlock"))
        self.logout_button.setText(self.tr("Log &out"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def showEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().showEvent(event)
        self.raise_()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def submit(self) -> None:
        if self._task is not None or not self.password.text():
            return
        code = self.totp.text().strip() if self.totp.isVisible() else ""
        self.unlock_button.setEnabled(False)
        self._task = self._runner.submit(UnlockTask(
            self._ctx, self._actor.username, self.password.text(), code or None,
            self._workstation, self._session_id))

    @Slot(int, object)
    def _on_finished(self, task_id: int, session: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        self.password.clear()
        self.sig_unlocked.emit(session)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        self.unlock_button.setEnabled(True)
        assert isinstance(error, DomainError)
        if error.code in ("totp_required", "totp_invalid"):
            self.totp.show()
            self.totp_label.show()
            self.totp.setFocus()
        else:
            self.password.clear()
            self.password.setFocus()
        self.message.setText(message_for(error))
        self.message.show()
