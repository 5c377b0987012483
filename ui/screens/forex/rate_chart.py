"""A currency's rate history (buy, sell, mid over time) on a pyqtgraph plot with a date axis.

Rates are exact Decimals in the core; the plot converts them to float for drawing only.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Slot
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core import errors
from core.dto_fx import FxRateDTO
from core.services import fx
from ui.messages import message_for
from ui.tasks import TaskRunner

SERIES = (("buy", "#2e86de", QT_TRANSLATE_NOOP("forex", "We buy")),
          ("mid", "#7f8c8d", QT_TRANSLATE_NOOP("forex", "Mid")),
          ("sell", "#e67e22", QT_TRANSLATE_NOOP("forex", "We sell")))
LINE_WIDTH_PX = 2
LEGEND_ALPHA = 220  # the legend box hides the curves under it only a little


class RateChart(QWidget):
    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("fxRateChart")
        self._runner = runner
        self._task: int | None = None
        self.history: list[FxRateDTO] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        head = QHBoxLayout()
        self.caption = QLabel(objectName="fxChartCaption")
        self.currency = QComboBox(objectName="fxChartCurrency")
        self.currency.setMinimumContentsLength(4)
        head.addWidget(self.caption)
        head.addWidget(self.currency)
        head.addStretch(1)
        self.message = QLabel(objectName="fxChartMessage")
        head.addWidget(self.message)
        layout.addLayout(head)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setObjectName("fxChartPlot")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.curves = {key: self.plot.plot([], [], name=key, stepMode=None,
                                           pen=pg.mkPen(color, width=LINE_WIDTH_PX),
                                           symbol="o", symbolSize=5, symbolBrush=color,
                                           symbolPen=None)
                       for key, color, _label in SERIES}
        layout.addWidget(self.plot, 1)
        self.currency.currentIndexChanged.connect(self.reload)
        runner.sig_task_finished.connect(self._on_finished)
        runner.sig_task_failed.connect(self._on_failed)
        self.retranslate_ui()

    def showEvent(self, event: QShowEvent) -> None:
        self._apply_palette()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        """The plot follows the theme (pyqtgraph draws black by default)."""
        pal = self.palette()
        back = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        self.plot.setBackground(back)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(text)
            axis.setTextPen(text)
        legend_back = QColor(back)
        legend_back.setAlpha(LEGEND_ALPHA)
        self.legend.setBrush(legend_back)
        self.legend.setPen(pg.mkPen(pal.color(QPalette.ColorRole.Mid)))
        self.legend.setLabelTextColor(text)
        for _sample, label in self.legend.items:  # labels made before keep their colour
            label.setText(label.text, color=text)

    def retranslate_ui(self) -> None:
        self.caption.setText(self.tr("Rate history of"))
        for (_key, _color, label), (_sample, text) in zip(SERIES, self.legend.items,
                                                          strict=True):
            text.setText(QCoreApplication.translate("forex", label))
        self._axis_labels()

    def _axis_labels(self) -> None:
        base = self.history[-1].base_currency if self.history else ""
        ccy = self.currency.currentText()
        self.plot.setLabel("left", self.tr("%1 per %2").replace("%1", base).replace("%2", ccy)
                           if base else "")
        self.plot.setLabel("bottom", self.tr("Effective time"))

    def set_currencies(self, currencies: list[str]) -> None:
        chosen = self.currency.currentText()
        self.currency.blockSignals(True)
        self.currency.clear()
        self.currency.addItems(currencies)
        if chosen in currencies:
            self.currency.setCurrentText(chosen)
        self.currency.blockSignals(False)
        self.reload()

    @Slot()
    def reload(self) -> None:
        ccy = self.currency.currentText()
        if ccy:
            self._task = self._runner.read(fx.rate_history, currency=ccy)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id != self._task:
            return
        self._task = None
        self.history = list(result)  # type: ignore[call-overload]
        xs = [r.effective_at.timestamp() for r in self.history]
        for key, _color, _label in SERIES:
            self.curves[key].setData(xs, [float(getattr(r, key)) for r in self.history])
        self.message.setText(self.tr("%n rates", "", len(self.history)))
        self._axis_labels()
        self.plot.enableAutoRange()

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id == self._task:
            self._task = None
            assert isinstance(error, errors.DomainError)
            self.message.setText(message_for(error))
