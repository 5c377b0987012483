"""The rate board: rates in force (with age, stale ones marked) and rates waiting for a checker.

The board polls fx.rates_stamp through the TaskRunner and reloads only when the stamp moved
(another user entered, approved or imported a rate); it also reloads once a minute so the ages
stay current. Approve/reject act on the selected pending rate; the service refuses a maker's
own approval and the sentence is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import errors, limits
from core.dto_fx import FxImportDTO, FxRateDTO
from core.services import fx
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_datetime
from ui.messages import message_for
from ui.screens.forex.common import canonical_number, format_age, format_rate
from ui.table_model import ALIGN_CENTER, ALIGN_RIGHT, Column, DtoTableModel
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class BoardRow:
    rate: FxRateDTO
    age_s: int
    stale: bool


@dataclass(frozen=True)
class BoardPage:
    """Page loader of the board (worker thread): all rates in force, aged against the clock."""

    ctx: CoreContext
    actor: Actor

    def __call__(self, after: int, _limit: int) -> list[BoardRow]:
        if after:
            return []  # one page: the board holds at most MAX_PAGE_ROWS currencies
        rows = self.ctx.read(fx.current_rates, self.actor)
        _margin, max_age_s = self.ctx.read(fx.branch_fx, self.actor,
                                           branch_id=self.actor.branch_id)
        now = self.ctx.clock.now()
        out = []
        for r in rows:
            age = max(0, int((now - r.effective_at).total_seconds()))
            out.append(BoardRow(r, age, age > max_age_s))
        return out


@dataclass(frozen=True)
class PendingPage:
    ctx: CoreContext
    actor: Actor

    def __call__(self, after: int, _limit: int) -> list[FxRateDTO]:
        return [] if after else self.ctx.read(fx.pending_rates, self.actor)


def import_rate_file(ctx: CoreContext, actor: Actor, path: str) -> FxImportDTO:
    """Worker thread: read the chosen file and import it as ECB XML or CSV by its content."""
    try:
        with Path(path).open("rb") as f:
            data = f.read(limits.FX_MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise errors.InvalidInput(field=Path(path).name, reason=exc.strerror or "unreadable") \
            from None
    if len(data) > limits.FX_MAX_IMPORT_BYTES:
        raise errors.FxRateFileInvalid(line=0, reason="the file is too large")
    if data.lstrip()[:1] == b"<":
        return ctx.run(fx.import_ecb_xml, actor, data=data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.FxRateFileInvalid(line=0, reason="not UTF-8 text") from None
    return ctx.run(fx.import_rates_csv, actor, text=text)


def _rate(value: object, _row: object) -> str:
    return format_rate(value)  # type: ignore[arg-type]


def _when(value: object, _row: object) -> str:
    return format_datetime(value)  # type: ignore[arg-type]


def _age(value: object, row: BoardRow) -> str:
    text = format_age(int(value))  # type: ignore[call-overload]
    return text + " ⚠" if row.stale else text


BOARD_COLUMNS: tuple[Column[BoardRow], ...] = (
    Column(QT_TRANSLATE_NOOP("forex", "Currency"), lambda b: b.rate.currency,
           alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("forex", "We buy"), lambda b: b.rate.buy, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "We sell"), lambda b: b.rate.sell, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "Mid"), lambda b: b.rate.mid, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "Age"), lambda b: b.age_s, _age, ALIGN_RIGHT,
           warn=lambda b: b.stale,
           tooltip=lambda b: QCoreApplication.translate(
               "forex", "Older than the allowed age: a deal needs an override")
           if b.stale else ""),
    Column(QT_TRANSLATE_NOOP("forex", "Effective"), lambda b: b.rate.effective_at, _when),
    Column(QT_TRANSLATE_NOOP("forex", "Source"), lambda b: b.rate.source),
    Column(QT_TRANSLATE_NOOP("forex", "Approved by"), lambda b: b.rate.approved_by or ""),
)
AGE_COLUMN = 4
PENDING_COLUMNS: tuple[Column[FxRateDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("forex", "No."), lambda r: r.rate_id, alignment=ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "Currency"), lambda r: r.currency, alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("forex", "We buy"), lambda r: r.buy, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "We sell"), lambda r: r.sell, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "Mid"), lambda r: r.mid, _rate, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("forex", "Effective"), lambda r: r.effective_at, _when),
    Column(QT_TRANSLATE_NOOP("forex", "Entered by"), lambda r: r.entered_by),
)


def _table(name: str, model: DtoTableModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setMinimumSectionSize(view.fontMetrics().horizontalAdvance("0") * 6)
    # The rows arrive after the view is built: size the columns to what they hold then.
    model.sig_page_loaded.connect(view.resizeColumnsToContents)
    return view


class RateBoard(QWidget):
    sig_rates_changed = Signal()  # the board reloaded after the stamp moved

    def __init__(self, ctx: CoreContext, actor: Actor, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("fxRateBoard")
        self._ctx, self._actor, self._runner = ctx, actor, runner
        self.board = DtoTableModel(BOARD_COLUMNS, runner, key_of=lambda b: b.rate.rate_id,
                                   page_rows=limits.MAX_PAGE_ROWS, tr_context="forex",
                                   parent=self)
        self.pending = DtoTableModel(PENDING_COLUMNS, runner, key_of=lambda r: r.rate_id,
                                     page_rows=limits.MAX_PAGE_ROWS, tr_context="forex",
                                     parent=self)
        self.stamp: str | None = None
        self._poll_task: int | None = None
        self._action_task: int | None = None
        self._reselect: int | None = None  # pending rate to select again after a reload
        self._build_ui()
        self.retranslate_ui()
        runner.sig_task_finished.connect(self._on_finished)
        runner.sig_task_failed.connect(self._on_failed)
        self.board.sig_load_failed.connect(self._show_error)
        self.pending_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.pending.modelReset.connect(self._update_buttons)
        self.pending.sig_page_loaded.connect(self._restore_selection)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(limits.UI_FX_POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()
        self.age_timer = QTimer(self)
        self.age_timer.setInterval(limits.UI_FX_AGE_REFRESH_MS)
        self.age_timer.timeout.connect(self.reload)
        self.age_timer.start()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.message = QLabel(objectName="fxBoardMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.board_view = _table("fxBoardTable", self.board)
        layout.addWidget(self.board_view, 3)
        lower = QHBoxLayout()
        self.pending_box = QGroupBox(objectName="fxPendingBox")
        pbox = QVBoxLayout(self.pending_box)
        self.pending_view = _table("fxPendingTable", self.pending)
        pbox.addWidget(self.pending_view)
        actions = QHBoxLayout()
        self.approve_button = QPushButton(objectName="fxApprove")
        self.reject_reason = QLineEdit(objectName="fxRejectReason")
        self.reject_reason.setMaxLength(limits.MAX_MEMO_CHARS)
        self.reject_button = QPushButton(objectName="fxReject")
        actions.addWidget(self.approve_button)
        actions.addWidget(self.reject_reason, 1)
        actions.addWidget(self.reject_button)
        pbox.addLayout(actions)
        lower.addWidget(self.pending_box, 3)
        lower.addWidget(self._build_maker(), 2)
        layout.addLayout(lower, 2)
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        may_check = allowed(self._actor, "fx.rates.approve")
        for w in (self.approve_button, self.reject_button, self.reject_reason):
            w.setVisible(may_check)

    def _build_maker(self) -> QGroupBox:
        self.maker_box = QGroupBox(objectName="fxMakerBox")
        box = QVBoxLayout(self.maker_box)
        row = QHBoxLayout()
        self.rate_currency = QLineEdit(objectName="fxRateCurrency")
        self.rate_currency.setMaxLength(3)
        self.rate_currency.setFixedWidth(self.fontMetrics().horizontalAdvance("MMMM") + 16)
        self.rate_buy = QLineEdit(objectName="fxRateBuy")
        self.rate_sell = QLineEdit(objectName="fxRateSell")
        self.rate_mid = QLineEdit(objectName="fxRateMid")
        row.addWidget(self.rate_currency)
        for w in (self.rate_buy, self.rate_sell, self.rate_mid):
            row.addWidget(w, 1)
        box.addLayout(row)
        buttons = QHBoxLayout()
        self.enter_button = QPushButton(objectName="fxEnterRate")
        self.import_button = QPushButton(objectName="fxImportRates")
        buttons.addWidget(self.enter_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        box.addLayout(buttons)
        box.addStretch(1)
        self.enter_button.clicked.connect(self.enter_rate)
        self.rate_mid.returnPressed.connect(self.enter_rate)
        self.import_button.clicked.connect(self._choose_import)
        self.enter_button.setEnabled(allowed(self._actor, "fx.rates.enter"))
        self.import_button.setEnabled(allowed(self._actor, "fx.rates.import"))
        return self.maker_box

    def retranslate_ui(self) -> None:
        self.pending_box.setTitle(self.tr("Rates waiting for approval"))
        self.maker_box.setTitle(self.tr("New rate (base currency per unit)"))
        self.approve_button.setText(self.tr("Approve"))
        self.reject_button.setText(self.tr("Reject"))
        self.reject_reason.setPlaceholderText(self.tr("Reason for rejecting"))
        self.rate_currency.setPlaceholderText(self.tr("EUR"))
        self.rate_buy.setPlaceholderText(self.tr("We buy"))
        self.rate_sell.setPlaceholderText(self.tr("We sell"))
        self.rate_mid.setPlaceholderText(self.tr("Mid (optional)"))
        self.enter_button.setText(self.tr("Enter rate"))
        self.import_button.setText(self.tr("Import rates…"))
        self.board.retranslate()
        self.pending.retranslate()

    # --- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        chosen = self.selected_pending()
        if chosen is not None:
            self._reselect = chosen.rate_id  # a reload must not drop the checker's choice
        self.board.set_loader(BoardPage(self._ctx, self._actor))
        self.pending.set_loader(PendingPage(self._ctx, self._actor))

    @Slot()
    def _restore_selection(self) -> None:
        wanted, self._reselect = self._reselect, None
        for row, rate in enumerate(self.pending.rows()):
            if rate.rate_id == wanted:
                self.pending_view.selectRow(row)

    @Slot()
    def poll(self) -> None:
        if self._poll_task is None:
            self._poll_task = self._runner.read(fx.rates_stamp)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id == self._poll_task:
            self._poll_task = None
            if result != self.stamp:
                first = self.stamp is None
                self.stamp = str(result)
                self.reload()
                if not first:
                    self.sig_rates_changed.emit()
        elif task_id == self._action_task:
            self._action_task = None
            self._show_done(result)
            self.poll()

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id == self._poll_task:
            self._poll_task = None
        elif task_id == self._action_task:
            self._action_task = None
        else:
            return
        self._show_error(error)

    @Slot(object)
    def _show_error(self, error: object) -> None:
        assert isinstance(error, errors.DomainError)
        self.message.setProperty("level", "error")
        self.message.setText(message_for(error))
        self.message.show()

    def _show_done(self, result: object) -> None:
        if isinstance(result, FxImportDTO):
            text = self.tr("Imported %1 rates (%2 now in force): %3.").replace(
                "%1", str(result.rates_stored)).replace("%2", str(result.rates_activated)) \
                .replace("%3", ", ".join(result.currencies) or "—")
        elif isinstance(result, FxRateDTO) and result.status == "pending":
            text = self.tr("Rate %1 for %2 entered; another user must approve it.").replace(
                "%1", str(result.rate_id)).replace("%2", result.currency)
            for w in (self.rate_currency, self.rate_buy, self.rate_sell, self.rate_mid):
                w.clear()
        elif isinstance(result, FxRateDTO):
            text = self.tr("Rate %1 for %2 is now %3.").replace("%1", str(result.rate_id)) \
                .replace("%2", result.currency).replace("%3", result.status)
        else:
            text = ""
        self.message.setProperty("level", "info")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- actions ------------------------------------------------------------------------------
    def selected_pending(self) -> FxRateDTO | None:
        rows = self.pending_view.selectionModel().selectedRows()
        return self.pending.row_at(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_pending() is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    @Slot()
    def approve_selected(self) -> None:
        rate = self.selected_pending()
        if rate is not None and self._action_task is None:
            self._action_task = self._runner.run(fx.approve_rate, rate_id=rate.rate_id)

    @Slot()
    def reject_selected(self) -> None:
        rate = self.selected_pending()
        if rate is not None and self._action_task is None:
            self._action_task = self._runner.run(fx.reject_rate, rate_id=rate.rate_id,
                                                 reason=self.reject_reason.text())

    @Slot()
    def enter_rate(self) -> None:
        if self._action_task is not None or not self.enter_button.isEnabled():
            return
        mid = canonical_number(self.rate_mid.text())
        self._action_task = self._runner.run(
            fx.enter_rate, currency=self.rate_currency.text(),
            buy=canonical_number(self.rate_buy.text()),
            sell=canonical_number(self.rate_sell.text()), mid=mid or None)

    @Slot()
    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import rates"), "",
            self.tr("Rate files (*.csv *.xml);;CSV (*.csv);;ECB XML (*.xml)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        if self._action_task is None:
            self._action_task = self._runner.submit(import_rate_file, self._ctx, self._actor,
                                                    path)
