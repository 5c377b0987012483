"""The login dialog and the forced password change, both talking to the services off the GUI thread.

The login runs `authentication.authenticate` as the anonymous actor through a TaskRunner; the
one-time code field appears when the service answers totp_required. A session that must change
its password gets the change dialog, then logs in again with the new password (the first
session's actor had no permissions and is ended).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
from core.unit_of_work import CoreContext
from ui.messages import message_for
from ui.tasks import TaskRunner

TOTP_DIGITS = 6


@dataclass(frozen=True)
class LoginTask:
    """Runs on a worker: one login attempt (the failure is counted and audited by the service)."""

    ctx: CoreContext
    username: str
    password: str
    totp_code: str | None
    workstation: str | None

    def __call__(self) -> SessionDTO:
        return self.ctx.run(authentication.authenticate, ANONYMOUS, username=self.username,
                            password=self.password, totp_code=self.totp_code,
                            workstation=self.workstation)


@dataclass(frozen=True)
class ChangePasswordTask:
    """Runs on a worker: change the password, end the restricted session, log in again."""

    ctx: CoreContext
    session: SessionDTO
    current_password: str
    new_password: str
    workstation: str | None

    def __call__(self) -> SessionDTO | None:
        """The new session; None when the new login needs a one-time code typed again."""
        username = self.session.user.username
        self.ctx.run(authentication.change_password, ANONYMOUS, username=username,
                     current_password=self.current_password, new_password=self.new_password)
        self.ctx.run(authentication.logout, self.session.actor, session_id=self.session.session_id,
                     reason="password_changed")
        try:
            return self.ctx.run(authentication.authenticate, ANONYMOUS, username=username,
                                password=self.new_password, workstation=self.workstation)
        except (errors.TotpRequired, errors.TotpInvalid):
            return None  # the code typed at login was used once: the user logs in again


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(limits.PASSWORD_MAX_CHARS)
    return edit


class LoginDialog(QDialog):
    """User name, password and (when the user has a second factor) the one-time code."""

    sig_logged_in = Signal(object)  # SessionDTO

    def __init__(self, ctx: CoreContext, pool: QThreadPool, *, database_label: str,
                 workstation: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._ctx = ctx
        self._pool = pool
        self._workstation = workstation
        self.change_dialog: ChangePasswordDialog | None = None
        self._runner = TaskRunner(ctx, ANONYMOUS, pool, self)
        self._task: int | None = None
        self._database_label = database_label
        self._build_ui()
        self.retranslate_ui()
        self._runner.sig_task_finished.connect(self._on_finished)
        self._runner.sig_task_failed.connect(self._on_failed)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        self.title = QLabel(objectName="loginTitle")
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username = QLineEdit(objectName="loginUsername")
        self.username.setMaxLength(limits.MAX_USERNAME_CHARS)
        self.password = _password_edit("loginPassword")
        self.totp = QLineEdit(objectName="loginTotp")
        self.totp.setMaxLength(TOTP_DIGITS)
        self.totp.setInputMask("999999;_")
        self.username_label, self.password_label = QLabel(), QLabel()
        self.totp_label = QLabel()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.totp_label, self.totp)
        layout.addLayout(form)
        self.totp.hide()
        self.totp_label.hide()
        self.message = QLabel(objectName="loginMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.hint = QLabel(objectName="loginHint")
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.hide()
        layout.addWidget(self.hint)
        self.database = QLabel(objectName="loginDatabase")
        self.database.setWordWrap(True)
        layout.addWidget(self.database)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("CBS Python — log in"))
        self.title.setText(self.tr("Log in to CBS Python"))
        self.username_label.setText(self.tr("&User name"))
        self.username_label.setBuddy(self.username)
        self.password_label.setText(self.tr("&Password"))
        self.password_label.setBuddy(self.password)
        self.totp_label.setText(self.tr("One-time &code"))
        self.totp_label.setBuddy(self.totp)
        self.login_button.setText(self.tr("&Log in"))
        self.database.setText(self.tr("Database: %1").replace("%1", self._database_label))

    # --- behaviour ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter submits here: QDialog would click Cancel while Log in is disabled (busy)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.adjustSize()

    def show_hint(self, text: str) -> None:
        """Neutral guidance under the form (the demo's users, how to create the first one)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.adjustSize()  # grow with the text rather than squeeze the fields

    def reset(self, message: str = "") -> None:
        """Back to an empty form (after logout); the user name stays for convenience."""
        self.password.clear()
        self.totp.clear()
        self.totp.hide()
        self.totp_label.hide()
        self.show_message(message)
        self._set_busy(False)
        (self.password if self.username.text() else self.username).setFocus()

    @Slot()
    def submit(self) -> None:
        if self.busy:
            return
        username = self.username.text().strip()
        if not username or not self.password.text():
            self.show_message(self.tr("Type your user name and password."))
            return
        code = self.totp.text().strip() if self.totp.isVisible() else ""
        self._set_busy(True)
        self.show_message("")
        self._task = self._runner.submit(LoginTask(self._ctx, username, self.password.text(),
                                                   code or None, self._workstation))

    def _set_busy(self, busy: bool) -> None:
        for w in (self.username, self.password, self.totp, self.login_button):
            w.setEnabled(not busy)
        if not busy:
            self._task = None

    @Slot(int, object)
    def _on_finished(self, task_id: int, session: object) -> None:
        if task_id != self._task:
            return
        self._set_busy(False)
        assert isinstance(session, SessionDTO)
        if session.must_change_password:
            # not exec(): a nested event loop would block tests and the idle timers
            self.change_dialog = ChangePasswordDialog(
                self._ctx, self._pool, session, self.password.text(),
                workstation=self._workstation, parent=self)
            self.change_dialog.finished.connect(self._on_change_finished)
            self.change_dialog.open()
            return
        self._logged_in(session)

    def _logged_in(self, session: SessionDTO) -> None:
        self.password.clear()
        self.totp.clear()
        self.sig_logged_in.emit(session)

    @Slot(int)
    def _on_change_finished(self, result: int) -> None:
        dialog, self.change_dialog = self.change_dialog, None
        assert dialog is not None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.reset(self.tr("The password was not changed; you are not logged in."))
        elif dialog.session is None:
            self.reset(self.tr("Your password was changed. Log in with the new password."))
            self.totp.show()
            self.totp_label.show()
        else:
            self._logged_in(dialog.session)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        self._set_busy(False)
        assert isinstance(error, DomainError)
        if error.code in ("totp_required", "totp_invalid"):
            self.totp.show()
            self.totp_label.show()
            self.totp.clear()
            self.totp.setFocus()
        else:
            self.password.clear()
            self.password.setFocus()
        self.show_message(message_for(error))


class ChangePasswordDialog(QDialog):
    """The forced change: the new password twice; the service checks policy and history."""

    def __init__(self, ctx: CoreContext, pool: QThreadPool, session: SessionDTO,
                 current_password: str, *, workstation: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self._ctx, self._current, self._workstation = ctx, current_password, workstation
        self._first = session
        self.session: SessionDTO | None = None
        self._runner = TaskRunner(ctx, ANONYMOUS, pool, self)
        self._task: int | None = None
        layout = QVBoxLayout(self)
        self.explain = QLabel(objectName="changePasswordExplain")
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        form = QFormLayout()
        self.new_password = _password_edit("newPassword")
        self.repeat = _password_edit("repeatPassword")
        self.new_label, self.repeat_label = QLabel(), QLabel()
        form.addRow(self.new_label, self.new_password)
        form.addRow(self.repeat_label, self.repeat)
        layout.addLayout(form)
        self.message = QLabel(objectName="changePasswordMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("changePasswordOk")
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._runner.sig_task_finished.connect(self._on_finished)
        self._runner.sig_task_failed.connect(self._on_failed)
        self.setMinimumWidth(440)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Change your password"))
        self.explain.setText(self.tr(
            "%1, your password must be changed before you continue: at least %2 characters, "
            "three of lower case, upper case, digits and symbols, not one of your recent "
            "passwords.").replace("%1", self._first.user.full_name or self._first.user.username)
            .replace("%2", str(limits.PASSWORD_MIN_CHARS)))
        self.new_label.setText(self.tr("&New password"))
        self.new_label.setBuddy(self.new_password)
        self.repeat_label.setText(self.tr("&Repeat it"))
        self.repeat_label.setBuddy(self.repeat)
        self.ok.setText(self.tr("&Change password"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @Slot()
    def submit(self) -> None:
        if self._task is not None:
            return
        if self.new_password.text() != self.repeat.text():
            self._show(self.tr("The two passwords differ."))
            return
        self._show("")
        self.ok.setEnabled(False)
        self._task = self._runner.submit(ChangePasswordTask(
            self._ctx, self._first, self._current, self.new_password.text(), self._workstation))

    @Slot(int, object)
    def _on_finished(self, task_id: int, session: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        assert session is None or isinstance(session, SessionDTO)
        self.session = session
        self.accept()

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        self.ok.setEnabled(True)
        assert isinstance(error, DomainError)
        self._show(message_for(error))
