"""Shared by the admin screens: a task runner with per-task handlers, a message banner, and
a small form dialog that opens without a nested event loop (tests fill it in like a user)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import limits
from core.errors import DomainError
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext
from ui.tasks import TaskRunner

Handler = Callable[[Any], None]


class AdminScreen(Screen):
    """A screen whose service calls each name the method that takes their result."""

    def __init__(self, shell: ShellContext, key: str) -> None:
        super().__init__()
        self.setObjectName(f"screen_{key}")
        self.shell = shell
        self.runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self._handlers: dict[int, Handler] = {}
        self.runner.sig_task_finished.connect(self._on_task_finished)
        self.runner.sig_task_failed.connect(self._on_task_failed)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 16, 20, 12)
        self.layout_.setSpacing(10)
        self.title = QLabel(objectName="screenTitle")
        self.layout_.addWidget(self.title)
        self.message = QLabel(objectName="screenMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.notice = QLabel(objectName="screenNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.notice)

    def call(self, handler: Handler, fn: Callable[..., Any], *, write: bool = False,
             **kwargs: Any) -> int:
        """ctx.read (or ctx.run when write) of fn as this screen's actor; handler gets the DTO."""
        task = (self.runner.run if write else self.runner.read)(fn, **kwargs)
        self._handlers[task] = handler
        return task

    def submit(self, handler: Handler, fn: Callable[..., Any], *args: Any) -> int:
        task = self.runner.submit(fn, *args)
        self._handlers[task] = handler
        return task

    @property
    def busy(self) -> bool:
        return bool(self._handlers)

    def show_error(self, text: str) -> None:
        self.notice.hide()
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_notice(self, text: str) -> None:
        self.message.hide()
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        handler = self._handlers.pop(task_id, None)
        if handler is not None:
            handler(result)

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, error: object) -> None:
        if self._handlers.pop(task_id, None) is not None:
            assert isinstance(error, DomainError)
            self.show_error(message_for(error))


def make_table(name: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


def size_columns(table: QTableView, chars: Sequence[int], stretch: int) -> None:
    """Widths in characters of a typical value; the stretch column takes the rest."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    char = table.fontMetrics().horizontalAdvance("0")
    for col, n in enumerate(chars):
        if col == stretch:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, n * char + 18)


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # already translated
    kind: str = "text"  # text | password | combo | check
    choices: Sequence[tuple[str, Any]] = ()  # (shown text, value) for a combo
    value: Any = None


class FormDialog(QDialog):
    """Fields in a form; values() after accept. Opened with open(), never exec()."""

    def __init__(self, title: str, fields: Sequence[Field], parent: QWidget,
                 name: str = "formDialog") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.widgets: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for f in fields:
            widget = self._widget(f)
            widget.setObjectName(f"field_{f.key}")
            self.widgets[f.key] = widget
            form.addRow(f.label, widget)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @staticmethod
    def _widget(f: Field) -> QWidget:
        if f.kind == "combo":
            combo = QComboBox()
            for text, value in f.choices:
                combo.addItem(text, value)
            if f.value is not None:
                combo.setCurrentIndex(max(0, combo.findData(f.value)))
            return combo
        if f.kind == "check":
            check = QCheckBox()
            check.setChecked(bool(f.value))
            return check
        edit = QLineEdit("" if f.value is None else str(f.value))
        edit.setMaxLength(limits.MAX_REASON_CHARS)
        if f.kind == "password":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def set_value(self, key: str, value: Any) -> None:
        widget = self.widgets[key]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text()
        return out
