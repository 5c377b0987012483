"""File > Two-factor authentication: enrol an authenticator app by QR code, confirm with a code.

Starting an enrolment replaces any earlier device (the service clears the old secret), so it
starts only when the user presses the button, not when the dialog opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.dto import TotpEnrolmentDTO, UserDTO
from core.errors import DomainError
from core.services import authentication
from core.unit_of_work import Actor, CoreContext
from ui.messages import message_for
from ui.tasks import TaskRunner


class TotpDialog(QDialog):
    def __init__(self, ctx: CoreContext, actor: Actor, pool: QThreadPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totpDialog")
        self._runner = TaskRunner(ctx, actor, pool, self)
        self._task: int | None = None
        self.enrolment: TotpEnrolmentDTO | None = None
        layout = QVBoxLayout(self)
        self.explain = QLabel(objectName="totpExplain")
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.start_button = QPushButton(objectName="totpStart")
        layout.addWidget(self.start_button)
        self.qr = QLabel(objectName="totpQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.secret = QLabel(objectName="totpSecret")
        self.secret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.qr)
        layout.addWidget(self.secret)
        row = QHBoxLayout()
        self.code = QLineEdit(objectName="totpCode")
        self.code.setMaxLength(6)
        self.confirm_button = QPushButton(objectName="totpConfirm")
        row.addWidget(self.code, 1)
        row.addWidget(self.confirm_button)
        layout.addLayout(row)
        self.message = QLabel(objectName="totpMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.code.setEnabled(False)
        self.confirm_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.confirm_button.clicked.connect(self.confirm)
        self.code.returnPressed.connect(self.confirm)
        self._runner.sig_task_finished.connect(self._on_finished)
        self._runner.sig_task_failed.connect(self._on_failed)
        self.setMinimumWidth(420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Two-factor authentication"))
        self.explain.setText(self.tr(
            "Scan the QR code with an authenticator app, then type the six-digit code it "
            "shows. From then on the login asks for a code. Starting replaces any earlier "
            "device."))
        self.start_button.setText(self.tr("&Start enrolment"))
        self.confirm_button.setText(self.tr("&Confirm"))
        self.code.setPlaceholderText(self.tr("Six-digit code"))

    @Slot()
    def start(self) -> None:
        self.start_button.setEnabled(False)
        self._task = self._runner.run(authentication.enrol_totp)

    @Slot()
    def confirm(self) -> None:
        if self.enrolment is None or not self.code.text().strip():
            return
        self.confirm_button.setEnabled(False)
        self._task = self._runner.run(authentication.confirm_totp, code=self.code.text().strip())

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        if isinstance(result, TotpEnrolmentDTO):
            self.enrolment = result
            pixmap = QPixmap()
            pixmap.loadFromData(result.qr_png, "PNG")
            self.qr.setPixmap(pixmap)
            self.secret.setText(self.tr("Or type this key: %1").replace("%1", result.secret))
            self.code.setEnabled(True)
            self.confirm_button.setEnabled(True)
            self.code.setFocus()
        elif isinstance(result, UserDTO):
            self.message.setText(self.tr("Two-factor authentication is on for %1.")
                                 .replace("%1", result.username))
            self.code.setEnabled(False)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        assert isinstance(error, DomainError)
        self.message.setText(message_for(error))
        self.start_button.setEnabled(self.enrolment is None)
        self.confirm_button.setEnabled(self.enrolment is not None)
