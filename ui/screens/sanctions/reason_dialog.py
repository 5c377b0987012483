"""Asks the reason for a decision: OK stays disabled until a reason is typed.

Opened with open() (window-modal, no nested event loop); the screen reads the reason from
sig_reason_given.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import limits


class ReasonDialog(QDialog):
    sig_reason_given = Signal(str)

    def __init__(self, parent: QWidget, *, title: str, prompt: str, accept_text: str) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.prompt = QLabel(prompt, objectName="reasonPrompt")
        self.prompt.setWordWrap(True)
        self.text = QPlainTextEdit(objectName="reasonText")
        self.text.setTabChangesFocus(True)
        self.count = QLabel(objectName="reasonCount")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.addButton(accept_text,
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("reasonAccept")
        self.ok.setDefault(True)
        layout.addWidget(self.prompt)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._on_text_changed)
        self._on_text_changed()

    def reason(self) -> str:
        return " ".join(self.text.toPlainText().split())

    @Slot()
    def _on_text_changed(self) -> None:
        n = len(self.reason())
        self.ok.setEnabled(0 < n <= limits.MAX_HIT_REASON_CHARS)
        self.count.setText(self.tr("%1 of %2 characters").replace("%1", str(n))
                           .replace("%2", str(limits.MAX_HIT_REASON_CHARS)))

    def accept(self) -> None:
        if not self.ok.isEnabled():
            return  # a reason is required: Enter on an empty text does nothing
        reason = self.reason()
        super().accept()
        self.sig_reason_given.emit(reason)
