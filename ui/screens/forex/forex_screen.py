"""Forex: the rate board, the exchange form, the FX position and a rate-history chart.

Each part has its own TaskRunner on the window's worker pool; the board's stamp poll tells the
other parts when the rates changed (currencies offered, chart, position values).
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QTabWidget

from core.services import calendar
from ui.screens.base import Screen, ShellContext, page_layout
from ui.screens.forex.exchange_form import ExchangeForm
from ui.screens.forex.position_view import PositionView
from ui.screens.forex.rate_board import RateBoard
from ui.screens.forex.rate_chart import RateChart
from ui.tasks import TaskRunner

RATES_TAB, EXCHANGE_TAB, POSITION_TAB, CHART_TAB = range(4)


class ForexScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_forex")
        ctx, actor = shell.ctx, shell.actor
        self._runners = [TaskRunner(ctx, actor, shell.pool, self) for _ in range(5)]
        self.board = RateBoard(ctx, actor, self._runners[0])
        self.exchange = ExchangeForm(ctx, actor, self._runners[1])
        self.position = PositionView(ctx, actor, self._runners[2])
        self.chart = RateChart(self._runners[3])
        self._base_runner = self._runners[4]
        self.base_currency = ""
        self._base_task: int | None = None
        self.title = QLabel(objectName="screenTitle")
        self.info = QLabel(objectName="screenInfo")
        layout = page_layout(self, self.title, right=(self.info,), spacing=None)
        self.tabs = QTabWidget(objectName="fxTabs")
        for widget in (self.board, self.exchange, self.position, self.chart):
            self.tabs.addTab(widget, "")
        layout.addWidget(self.tabs, 1)
        self.board.board.sig_page_loaded.connect(self._on_board_loaded)
        self.board.sig_rates_changed.connect(self.position.reload)
        self.board.sig_rates_changed.connect(self.exchange.requote)
        self._base_runner.sig_task_finished.connect(self._on_base)
        self.retranslate_ui()
        self._base_task = self._base_runner.read(calendar.base_currency)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Foreign exchange"))
        for index, text in ((RATES_TAB, self.tr("Rate board")),
                            (EXCHANGE_TAB, self.tr("Exchange")),
                            (POSITION_TAB, self.tr("Position")),
                            (CHART_TAB, self.tr("Rate history"))):
            self.tabs.setTabText(index, text)
        for part in (self.board, self.exchange, self.position, self.chart):
            part.retranslate_ui()
        self._update_info()

    def refresh(self) -> None:
        self.exchange.load_till()
        self.board.reload()
        self.board.poll()
        self.position.reload()
        self.chart.reload()

    @Slot(int, object)
    def _on_base(self, task_id: int, result: object) -> None:
        if task_id == self._base_task:
            self.base_currency = str(result)
            self.position.base_currency = self.base_currency
            self.refresh()

    @Slot(int)
    def _on_board_loaded(self, _rows: int) -> None:
        currencies = [row.rate.currency for row in self.board.board.rows()]
        self.chart.set_currencies(currencies)
        offered = sorted({*currencies, self.base_currency} - {""})
        self.exchange.set_currencies(offered)
        self._update_info()

    def _update_info(self) -> None:
        if self.base_currency:
            self.info.setText(self.tr("Base currency: %1; rates are %1 per unit")
                              .replace("%1", self.base_currency))
