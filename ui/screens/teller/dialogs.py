"""Dialogs of the teller desk: a cash count by denomination, a supervisor's credentials.

They never block (opened with open(), not exec()): they emit what was typed, the screen runs
the service and either accepts the dialog or shows the refusal inside it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import limits
from core.rules.denominations import MAX_PIECES_PER_DENOMINATION, denominations
from ui.formatting import format_amount, format_money

Counted = dict[str, dict[int, int]]


def _error_label() -> QLabel:
    label = QLabel(objectName="dialogError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #d64541;")
    label.hide()
    return label


class CountDialog(QDialog):
    """Pieces per note and coin for each currency of the till; closing adds note + supervisor."""

    sig_count_entered = Signal(object, str, str, str)  # counts, note, supervisor, password

    def __init__(self, currencies: tuple[str, ...], *, closing: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tellerCloseDialog" if closing else "tellerOpenDialog")
        self.setWindowTitle(self.tr("Close the till: blind count") if closing
                            else self.tr("Open the till: opening count"))
        self._spins: dict[tuple[str, int], QSpinBox] = {}
        self._totals: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Type the number of pieces of each note and coin."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        col = 0
        for cur in currencies:
            self._add_currency(grid, cur, col)
            col += 3
        layout.addWidget(grid_host)
        self.note = QLineEdit(objectName="countNote")
        self.note.setMaxLength(limits.MAX_NOTE_CHARS)
        self.supervisor = QLineEdit(objectName="countSupervisor")
        self.password = QLineEdit(objectName="countPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if closing:
            form = QFormLayout()
            form.addRow(self.tr("Supervisor note"), self.note)
            form.addRow(self.tr("Supervisor user name"), self.supervisor)
            form.addRow(self.tr("Supervisor password"), self.password)
            sup_hint = QLabel(self.tr("Needed only when the count differs from the books."))
            sup_hint.setObjectName("screenInfo")
            form.addRow("", sup_hint)
            layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("countOk")
        self.ok.setText(self.tr("Close till") if closing else self.tr("Open till"))
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_currency(self, grid: QGridLayout, cur: str, col: int) -> None:
        head = QLabel(f"<b>{cur}</b>")
        grid.addWidget(head, 0, col, 1, 2)
        for row, denom in enumerate(denominations(cur), start=1):
            label = QLabel(format_amount(denom, cur))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin = QSpinBox(objectName=f"count_{cur}_{denom}")
            spin.setRange(0, MAX_PIECES_PER_DENOMINATION)  # a negative count cannot be typed
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.valueChanged.connect(self._update_totals)
            grid.addWidget(label, row, col)
            grid.addWidget(spin, row, col + 1)
            self._spins[(cur, denom)] = spin
        total = QLabel(objectName=f"countTotal_{cur}")
        total.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(total, len(denominations(cur)) + 1, col, 1, 2)
        self._totals[cur] = total
        self._update_totals()

    def set_count(self, currency: str, counts: dict[int, int]) -> None:
        for denom, pieces in counts.items():
            self._spins[(currency, denom)].setValue(pieces)

    def counts(self) -> Counted:
        out: Counted = {}
        for (cur, denom), spin in self._spins.items():
            if spin.value():
                out.setdefault(cur, {})[denom] = spin.value()
        return out

    @Slot()
    def _update_totals(self) -> None:
        for cur, label in self._totals.items():
            total = sum(d * s.value() for (c, d), s in self._spins.items() if c == cur)
            label.setText(self.tr("Total %1").replace("%1", format_money(total, cur)))

    @Slot()
    def _on_ok(self) -> None:
        self.error.hide()
        self.ok.setEnabled(False)
        self.sig_count_entered.emit(self.counts(), self.note.text(), self.supervisor.text(),
                                    self.password.text())

    def show_error(self, text: str) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.error.setText(text)
        self.error.show()


class SupervisorDialog(QDialog):
    """A supervisor types their own credentials at the teller's desk (and a reason if asked);
    or, for a withdrawal, the teller sends the request to the checker inbox instead."""

    sig_approved = Signal(str, str, str)  # user name, password, reason
    sig_send_for_approval = Signal()

    def __init__(self, title: str, explanation: str, *, ask_reason: bool = False,
                 allow_inbox: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(explanation, objectName="supervisorExplanation")
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.reason = QLineEdit(objectName="supervisorReason")
        self.reason.setMaxLength(limits.MAX_NOTE_CHARS)
        if ask_reason:
            form.addRow(self.tr("Reason"), self.reason)
        self.username = QLineEdit(objectName="supervisorUser")
        self.password = QLineEdit(objectName="supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Supervisor user name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.approve = QPushButton(self.tr("Approve"), objectName="supervisorApprove")
        self.approve.setDefault(True)
        buttons.addButton(self.approve, QDialogButtonBox.ButtonRole.AcceptRole)
        self.inbox = QPushButton(self.tr("Send for approval"), objectName="supervisorInbox")
        if allow_inbox:
            buttons.addButton(self.inbox, QDialogButtonBox.ButtonRole.ActionRole)
        self.inbox.clicked.connect(self._on_inbox)
        buttons.accepted.connect(self._on_approve)
        buttons.rejected.connect(self.reject)
        self.password.returnPressed.connect(self._on_approve)
        layout.addWidget(buttons)
        (self.reason if ask_reason else self.username).setFocus()

    @Slot()
    def _on_approve(self) -> None:
        if not self.approve.isEnabled():
            return  # Enter in the password field while the first attempt runs
        self.error.hide()
        self.approve.setEnabled(False)
        self.sig_approved.emit(self.username.text().strip(), self.password.text(),
                               self.reason.text())

    @Slot()
    def _on_inbox(self) -> None:
        self.inbox.setEnabled(False)
        self.sig_send_for_approval.emit()

    def show_error(self, text: str) -> None:
        self.approve.setEnabled(True)
        self.inbox.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.error.setText(text)
        self.error.show()
