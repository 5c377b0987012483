"""The FX position per currency (value at mid, unrealised result) and the revaluation run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core import errors, limits
from core.dto_fx import FxPositionDTO, FxRevaluationDTO
from core.services import fx_revaluation
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_amount, format_date, format_money
from ui.messages import message_for
from ui.screens.forex.common import format_rate
from ui.screens.forex.rate_board import _table
from ui.table_model import ALIGN_CENTER, ALIGN_RIGHT, Column, DtoTableModel
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class PositionPage:
    ctx: CoreContext
    actor: Actor

    def __call__(self, after: str, _limit: int) -> list[FxPositionDTO]:
        if after:
            return []
        return self.ctx.read(fx_revaluation.position, self.actor)


def _own(value: object, row: FxPositionDTO) -> str:
    return format_amount(int(value), row.currency)  # type: ignore[call-overload]


def columns(base: Callable[[], str]) -> tuple[Column[FxPositionDTO], ...]:
    """Columns in base currency are formatted in base() (the bank's, read at start)."""

    def in_base(value: object, _row: FxPositionDTO) -> str:
        return "" if value is None else format_amount(int(value), base())  # type: ignore[call-overload]

    return (
        Column(QT_TRANSLATE_NOOP("forex", "Currency"), lambda p: p.currency,
               alignment=ALIGN_CENTER),
        Column(QT_TRANSLATE_NOOP("forex", "Position"), lambda p: p.position_minor, _own,
               ALIGN_RIGHT, warn=lambda p: p.position_minor < 0),
        Column(QT_TRANSLATE_NOOP("forex", "Mid"), lambda p: p.mid_rate,
               lambda v, _r: format_rate(v), ALIGN_RIGHT),
        Column(QT_TRANSLATE_NOOP("forex", "Value at mid"), lambda p: p.value_base_minor,
               in_base, ALIGN_RIGHT),
        Column(QT_TRANSLATE_NOOP("forex", "Cost"), lambda p: p.cost_base_minor, in_base,
               ALIGN_RIGHT),
        Column(QT_TRANSLATE_NOOP("forex", "Revalued"), lambda p: p.revalued_base_minor,
               in_base, ALIGN_RIGHT),
        Column(QT_TRANSLATE_NOOP("forex", "Unrealised"), lambda p: p.unrealised_base_minor,
               in_base, ALIGN_RIGHT, warn=lambda p: (p.unrealised_base_minor or 0) < 0),
    )


class PositionView(QWidget):
    def __init__(self, ctx: CoreContext, actor: Actor, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("fxPositionView")
        self._ctx, self._actor, self._runner = ctx, actor, runner
        self.base_currency = ""  # the bank's, set by the screen before the first load
        self.model = DtoTableModel(columns(lambda: self.base_currency), runner, key_of=lambda p: p.currency,
                                   page_rows=limits.MAX_PAGE_ROWS, tr_context="forex",
                                   parent=self)
        self._revalue_task: int | None = None
        self.last_run: FxRevaluationDTO | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        head = QHBoxLayout()
        self.caption = QLabel(objectName="fxPositionCaption")
        self.revalue_button = QPushButton(objectName="fxRevalue")
        self.revalue_button.setVisible(allowed(actor, "fx.revalue"))
        head.addWidget(self.caption, 1)
        head.addWidget(self.revalue_button)
        layout.addLayout(head)
        self.table = _table("fxPositionTable", self.model)
        layout.addWidget(self.table, 1)
        self.message = QLabel(objectName="fxPositionMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.revalue_button.clicked.connect(self.revalue)
        runner.sig_task_finished.connect(self._on_finished)
        runner.sig_task_failed.connect(self._on_failed)
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.caption.setText(self.tr("FX position of the bank; amounts in %1 at the mid in force")
                             .replace("%1", self.base_currency))
        self.revalue_button.setText(self.tr("Revalue (end of day)"))
        self.model.retranslate()

    def reload(self) -> None:
        self.retranslate_ui()
        self.model.set_loader(PositionPage(self._ctx, self._actor), "")

    @Slot()
    def revalue(self) -> None:
        if self._revalue_task is None:
            self._revalue_task = self._runner.run(fx_revaluation.revalue)
            self.revalue_button.setEnabled(False)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id != self._revalue_task:
            return
        self._revalue_task = None
        self.revalue_button.setEnabled(True)
        assert isinstance(result, FxRevaluationDTO)
        self.last_run = result
        day = format_date(result.business_date)
        if result.replayed:
            text = self.tr("%1 was already revalued: nothing was posted now.").replace("%1", day)
        else:
            posted = [ln for ln in result.lines if ln.entry_id is not None]
            total = sum(ln.amount_base_minor for ln in result.lines)
            text = self.tr("Revaluation of %1: %2 entries posted, result %3.") \
                .replace("%1", day).replace("%2", str(len(posted))) \
                .replace("%3", format_money(total, result.base_currency))
        self.message.setText(text)
        self.reload()

    @Slot(object)
    def _on_load_failed(self, error: object) -> None:
        assert isinstance(error, errors.DomainError)
        self.message.setText(message_for(error))

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id == self._revalue_task:
            self._revalue_task = None
            self.revalue_button.setEnabled(True)
            assert isinstance(error, errors.DomainError)
            self.message.setText(message_for(error))
