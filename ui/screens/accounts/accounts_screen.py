"""Accounts: every account of the bank in a table, searched by number or name prefix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
)

from core import limits
from core.dto import AccountDTO
from core.errors import DomainError
from core.services import accounts
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_amount
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext, page_layout
from ui.table_model import ALIGN_CENTER, ALIGN_RIGHT, Column, DtoTableModel
from ui.tasks import TaskRunner

_LABELS = {
    "customer": QT_TRANSLATE_NOOP("accounts", "Customer"),
    "gl": QT_TRANSLATE_NOOP("accounts", "General ledger"),
    "active": QT_TRANSLATE_NOOP("accounts", "Active"),
    "dormant": QT_TRANSLATE_NOOP("accounts", "Dormant"),
    "frozen": QT_TRANSLATE_NOOP("accounts", "Frozen"),
    "closed": QT_TRANSLATE_NOOP("accounts", "Closed"),
}


def _label(value: Any, _row: AccountDTO) -> str:
    source = _LABELS.get(value)
    return QCoreApplication.translate("accounts", source) if source else str(value)


def _amount(value: Any, row: AccountDTO) -> str:
    return format_amount(int(value), row.currency)


COLUMNS: tuple[Column[AccountDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("accounts", "Number"), lambda a: a.number),
    Column(QT_TRANSLATE_NOOP("accounts", "Name"), lambda a: a.name, tooltip=lambda a: a.name),
    Column(QT_TRANSLATE_NOOP("accounts", "Kind"), lambda a: a.kind, _label),
    Column(QT_TRANSLATE_NOOP("accounts", "Currency"), lambda a: a.currency,
           alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("accounts", "Status"), lambda a: a.status, _label,
           warn=lambda a: a.status != "active"),
    Column(QT_TRANSLATE_NOOP("accounts", "Ledger balance"), lambda a: a.ledger_balance_minor,
           _amount, ALIGN_RIGHT, warn=lambda a: a.ledger_balance_minor < 0),
    Column(QT_TRANSLATE_NOOP("accounts", "Available"), lambda a: a.available_minor, _amount,
           ALIGN_RIGHT, warn=lambda a: a.available_minor < 0),
)
# Widths in characters of a typical value; the name column takes the rest of the width.
KIND_FILTERS = (None, "customer", "gl")
_KIND_FILTER_LABELS = (
    QT_TRANSLATE_NOOP("accounts", "All kinds"),
    QT_TRANSLATE_NOOP("accounts", "Customer accounts"),
    QT_TRANSLATE_NOOP("accounts", "General ledger"),
)
_COLUMN_CHARS = (16, 0, 15, 9, 10, 19, 19)
_NAME_COLUMN = 1


@dataclass(frozen=True)
class AccountsPage:
    """The page loader: runs on a worker thread, one keyset page of the current search."""

    ctx: CoreContext
    actor: Actor
    query: str
    kind: str | None = None

    def __call__(self, after_id: int, limit: int) -> list[AccountDTO]:
        return self.ctx.read(accounts.search_accounts, self.actor, query=self.query,
                             kind=self.kind, after_id=after_id, limit=limit)


class AccountsScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_accounts")
        self._shell = shell
        self._runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self.model: DtoTableModel[AccountDTO] = DtoTableModel(
            COLUMNS, self._runner, key_of=lambda a: a.account_id, page_rows=shell.page_rows,
            tr_context="accounts", parent=self)
        self._query = ""
        self._failed = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(limits.UI_SEARCH_DEBOUNCE_MS)
        self._build_ui()
        self.retranslate_ui()
        self.model.sig_page_loaded.connect(self._on_page_loaded)
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.model.sig_loading_changed.connect(self._on_loading_changed)
        self._debounce.timeout.connect(self._on_search_due)
        self.search.textEdited.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._on_search_due)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.refresh()

    def _build_ui(self) -> None:
        self.title = QLabel(objectName="screenTitle")
        self.info = QLabel(objectName="screenInfo")
        layout = page_layout(self, self.title, right=(self.info,))
        self.search = QLineEdit(objectName="accountsSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(limits.MAX_SEARCH_CHARS)
        self.search.setMaximumWidth(420)
        self.kind = QComboBox(objectName="accountsKind")
        for value in KIND_FILTERS:
            self.kind.addItem("", value)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.message = QLabel(objectName="screenMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.table = QTableView(objectName="accountsTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self._size_columns()
        layout.addWidget(self.table, 1)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        char = self.table.fontMetrics().horizontalAdvance("0")
        for col, chars in enumerate(_COLUMN_CHARS):
            if col == _NAME_COLUMN:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, chars * char + 16)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Accounts"))
        self.search.setPlaceholderText(self.tr("Search by account number or name"))
        for row, source in enumerate(_KIND_FILTER_LABELS):
            self.kind.setItemText(row, QCoreApplication.translate("accounts", source))
        self.model.retranslate()
        self._update_info()

    # --- behaviour ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._failed = False
        self.message.hide()
        kind = self.kind.currentData()
        self.model.set_loader(AccountsPage(self._shell.ctx, self._shell.actor, self._query, kind))

    @Slot(str)
    def _on_search_edited(self, _text: str) -> None:
        self._debounce.start()

    @Slot()
    def _on_search_due(self) -> None:
        self._debounce.stop()
        self._query = " ".join(self.search.text().split())
        self.refresh()

    @Slot(int)
    def _on_kind_changed(self, _row: int) -> None:
        self.refresh()

    @Slot(int)
    def _on_page_loaded(self, _rows: int) -> None:
        self._update_info()

    @Slot(object)
    def _on_load_failed(self, error: DomainError) -> None:
        self._failed = True
        self.message.setText(message_for(error))
        self.message.show()
        self._update_info()

    @Slot(bool)
    def _on_loading_changed(self, _loading: bool) -> None:
        self._update_info()

    def _update_info(self) -> None:
        rows = self.model.rowCount()
        if self._failed and rows == 0:
            text = ""  # the banner says why there is nothing to show
        elif self.model.loading and rows == 0:
            text = self.tr("Loading…")
        elif rows == 0 and self._query:
            text = self.tr("No account matches “%1”.").replace("%1", self._query)
        elif rows == 0:
            text = self.tr("No accounts yet.")
        elif self.model.exhausted:
            text = self.tr("Accounts shown: %n", "", rows)
        else:
            text = self.tr("Accounts shown: %n (scroll for more)", "", rows)
        self.info.setText(text)
