"""The teller's journal (blotter) of the session, with totals per currency and type; the
supervisor's same-day reversal and receipt reprints start from its selected row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import DomainError
from core.services.teller import blotter
from core.services.teller.dto import BlotterDTO, BlotterTotalDTO, TellerTxDTO
from ui.formatting import format_amount, format_datetime, format_money
from ui.messages import message_for
from ui.screens.teller.calls import Calls
from ui.table_model import ALIGN_CENTER, ALIGN_RIGHT, Column, DtoTableModel

KIND_NAMES = {"deposit": QT_TRANSLATE_NOOP("teller", "Deposit"),
              "withdrawal": QT_TRANSLATE_NOOP("teller", "Withdrawal"),
              "transfer": QT_TRANSLATE_NOOP("teller", "Transfer")}


def _kind(value: Any, _row: Any) -> str:
    return QCoreApplication.translate("teller", KIND_NAMES.get(value, str(value)))


def _amount(value: Any, row: Any) -> str:
    return format_amount(int(value), row.currency)


def _money(value: Any, row: Any) -> str:
    return format_money(int(value), row.currency)


def _time(value: Any, _row: Any) -> str:
    return format_datetime(value)[-5:]  # the session is one day: hh:mm is enough


def _state(_value: Any, row: TellerTxDTO) -> str:
    if row.reversal_entry_id is not None:
        return QCoreApplication.translate("teller", "reversed by %1").replace(
            "%1", row.reversed_by or "")
    if row.override_by:
        return QCoreApplication.translate("teller", "approved by %1").replace(
            "%1", row.override_by)
    return ""


TX_COLUMNS: tuple[Column[TellerTxDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("teller", "Time"), lambda t: t.created_at, _time,
           alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("teller", "Reference"), lambda t: t.reference),
    Column(QT_TRANSLATE_NOOP("teller", "Type"), lambda t: t.kind, _kind),
    Column(QT_TRANSLATE_NOOP("teller", "Amount"), lambda t: t.amount_minor, _money,
           ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Fee"), lambda t: t.fee_minor, _amount, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Remarks"), lambda t: t.kind, _state,
           warn=lambda t: t.reversal_entry_id is not None),
)
TOTAL_COLUMNS: tuple[Column[BlotterTotalDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("teller", "Currency"), lambda t: t.currency,
           alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("teller", "Type"), lambda t: t.kind, _kind),
    Column(QT_TRANSLATE_NOOP("teller", "Count"), lambda t: t.count, alignment=ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Amount"), lambda t: t.amount_minor, _amount,
           ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Fees"), lambda t: t.fee_minor, _amount, ALIGN_RIGHT),
)


TX_CHARS = (5, 20, 10, 17, 8, 0)
TOTAL_CHARS = (8, 11, 6, 17, 10)


def _tx_key(t: TellerTxDTO) -> int:
    return t.transaction_id


def _total_key(t: BlotterTotalDTO) -> tuple[str, str]:
    return (t.currency, t.kind)


@dataclass(frozen=True)
class _Rows:
    """A loader over rows already fetched in one journal call (the session is bounded)."""

    rows: tuple[Any, ...]
    key: Callable[[Any], Any]  # ascending in the order of rows

    def __call__(self, after: Any, limit: int) -> list[Any]:
        return [r for r in self.rows if self.key(r) > after][:limit]


def make_table(model: DtoTableModel[Any], name: str,
               chars: tuple[int, ...] = ()) -> QTableView:
    """A read-only table; `chars` gives each column's width in characters of a typical value
    (0: this column takes the remaining width)."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    char = table.fontMetrics().horizontalAdvance("0")
    for col, width in enumerate(chars):
        if width:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width * char + 16)
        else:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(not chars)
    return table


class BlotterPanel(QWidget):
    sig_reverse_requested = Signal(object)  # TellerTxDTO
    sig_reprint_requested = Signal(int)  # teller transaction id

    def __init__(self, calls: Calls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calls = calls
        self._session_id: int | None = None
        runner = calls.runner
        self.model: DtoTableModel[TellerTxDTO] = DtoTableModel(
            TX_COLUMNS, runner, key_of=_tx_key, tr_context="teller", parent=self)
        self.totals: DtoTableModel[BlotterTotalDTO] = DtoTableModel(
            TOTAL_COLUMNS, runner, key_of=_total_key, tr_context="teller", parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = make_table(self.model, "tellerBlotter", TX_CHARS)
        self.totals_table = make_table(self.totals, "tellerTotals", TOTAL_CHARS)
        # Tall enough for the three kinds of one currency without a scroll bar.
        t = self.totals_table
        t.setFixedHeight(t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth()
                         + 3 * t.verticalHeader().defaultSectionSize() + 2)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.totals_table, 1)
        row = QHBoxLayout()
        self.info = QLabel(objectName="screenInfo")
        self.reverse = QPushButton(objectName="tellerReverse")
        self.reprint = QPushButton(objectName="tellerReprint")
        row.addWidget(self.info, 1)
        row.addWidget(self.reverse)
        row.addWidget(self.reprint)
        layout.addLayout(row)
        self.reverse.clicked.connect(self._on_reverse)
        self.reprint.clicked.connect(self._on_reprint)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.reverse.setText(self.tr("Reverse…"))
        self.reprint.setText(self.tr("Reprint receipt"))
        self.model.retranslate()
        self.totals.retranslate()

    def set_session(self, session_id: int | None) -> None:
        self._session_id = session_id
        self.refresh()

    def refresh(self) -> None:
        if self._session_id is None:
            self._show(None)
            return
        self._calls.read(blotter.session_journal, self._show, self._failed,
                         session_id=self._session_id)

    def _show(self, journal: BlotterDTO | None) -> None:
        rows = journal.rows if journal else ()
        totals = journal.totals if journal else ()
        # The loaders page through what this one call returned (bounded by the service).
        self.model.set_loader(_Rows(rows, _tx_key), initial_key=0)
        self.totals.set_loader(_Rows(totals, _total_key), initial_key=("", ""))
        if journal is None:
            self.info.setText("")
            return
        self.info.setText(self.tr("Transactions: %n", "", len(rows)) + " · "
                          + self.tr("reversed: %n", "", journal.reversed_count))

    def _failed(self, error: DomainError) -> None:
        self.info.setText(message_for(error))

    def selected(self) -> TellerTxDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _on_reverse(self) -> None:
        tx = self.selected()
        if tx is not None:
            self.sig_reverse_requested.emit(tx)

    @Slot()
    def _on_reprint(self) -> None:
        tx = self.selected()
        if tx is not None:
            self.sig_reprint_requested.emit(tx.transaction_id)
