"""Checker inbox: pending maker-checker requests; approve, or refuse with a reason.

The service refuses a decision by the request's maker (and says so); the screen only shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Slot
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton

from core import limits
from core.dto import ApprovalRequestDTO
from core.errors import DomainError
from core.services import makerchecker
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_date
from ui.messages import message_for
from ui.screens.admin.common import AdminScreen, make_table, size_columns
from ui.screens.base import ShellContext
from ui.table_model import Column, DtoTableModel

COLUMNS: tuple[Column[ApprovalRequestDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("inbox", "#"), lambda r: r.request_id),
    Column(QT_TRANSLATE_NOOP("inbox", "Action"), lambda r: r.action),
    Column(QT_TRANSLATE_NOOP("inbox", "Summary"), lambda r: r.summary,
           tooltip=lambda r: r.summary),
    Column(QT_TRANSLATE_NOOP("inbox", "Maker"), lambda r: r.maker),
    Column(QT_TRANSLATE_NOOP("inbox", "Asked"),
           lambda r: f"{format_date(r.made_at.date())} {r.made_at:%H:%M}"),
)


@dataclass(frozen=True)
class PendingPage:
    ctx: CoreContext
    actor: Actor

    def __call__(self, after_id: int, limit: int) -> list[ApprovalRequestDTO]:
        return self.ctx.read(makerchecker.list_pending, self.actor, after_id=after_id,
                             limit=limit)


class InboxScreen(AdminScreen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__(shell, "inbox")
        self.model: DtoTableModel[ApprovalRequestDTO] = DtoTableModel(
            COLUMNS, self.runner, key_of=lambda r: r.request_id, page_rows=shell.page_rows,
            tr_context="inbox", parent=self)
        self.table = make_table("inboxTable")
        self.table.setModel(self.model)
        size_columns(self.table, (5, 22, 40, 16, 16), 2)
        self.layout_.addWidget(self.table, 2)
        self.detail = QPlainTextEdit(objectName="inboxDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr(
            "Select a request to see what it would do, with its parameters."))
        self.layout_.addWidget(self.detail, 1)
        row = QHBoxLayout()
        self.reason = QLineEdit(objectName="inboxReason")
        self.reason.setMaxLength(limits.MAX_REASON_CHARS)
        self.approve_button = QPushButton(objectName="inboxApprove")
        self.refuse_button = QPushButton(objectName="inboxRefuse")
        row.addWidget(self.approve_button)
        row.addWidget(self.reason, 1)
        row.addWidget(self.refuse_button)
        self.layout_.addLayout(row)
        self.retranslate_ui()
        self.approve_button.clicked.connect(self.approve_selected)
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Checker inbox"))
        self.approve_button.setText(self.tr("&Approve"))
        self.refuse_button.setText(self.tr("Re&fuse"))
        self.reason.setPlaceholderText(self.tr("Reason for a refusal"))
        self.model.retranslate()

    def refresh(self) -> None:
        self.detail.clear()
        self.model.set_loader(PendingPage(self.shell.ctx, self.shell.actor), 0)

    @Slot(object)
    def _on_load_failed(self, error: DomainError) -> None:
        self.show_error(message_for(error))

    def selected(self) -> ApprovalRequestDTO | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_request(self, request_id: int) -> None:
        for row, r in enumerate(self.model.rows()):
            if r.request_id == request_id:
                self.table.selectRow(row)

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        r = self.selected()
        if r is None:
            self.detail.clear()
            return
        self.detail.setPlainText(
            f"{r.summary}\n{self.tr('Maker')}: {r.maker}   {self.tr('Action')}: {r.action}   "
            f"{self.tr('Record')}: {r.entity_type} {r.entity_id}\n\n"
            + json.dumps(r.params, indent=2, sort_keys=True, default=str))

    @Slot()
    def approve_selected(self) -> None:
        r = self.selected()
        if r is None:
            self.show_error(self.tr("Select a request first."))
            return
        self.call(self._on_decided, makerchecker.approve, write=True, request_id=r.request_id)

    @Slot()
    def refuse_selected(self) -> None:
        r = self.selected()
        if r is None:
            self.show_error(self.tr("Select a request first."))
            return
        self.call(self._on_decided, makerchecker.refuse, write=True, request_id=r.request_id,
                  reason=self.reason.text())

    def _on_decided(self, result: Any) -> None:
        assert isinstance(result, ApprovalRequestDTO)
        verb = self.tr("approved") if result.status == "approved" else self.tr("refused")
        self.show_notice(self.tr("Request #%1 %2: %3").replace("%1", str(result.request_id))
                         .replace("%2", verb).replace("%3", result.summary))
        self.reason.clear()
        self.refresh()
