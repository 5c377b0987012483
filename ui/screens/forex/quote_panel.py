"""The quote half of the exchange form: what the customer gives and gets, shown before confirming."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from core.dto_fx import FxQuoteDTO
from ui.formatting import format_money
from ui.screens.forex.common import format_age, format_rate

FIELDS = ("rate", "gives", "receives", "fee", "spread", "age")


class QuotePanel(QGroupBox):
    def __init__(self, may_override: bool) -> None:
        super().__init__(objectName="fxQuoteBox")
        box = QVBoxLayout(self)
        grid = QFormLayout()
        self.labels = {name: QLabel() for name in FIELDS}
        self.values = {name: QLabel(objectName=f"fxQuote_{name}") for name in FIELDS}
        for name in FIELDS:
            self.values[name].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addRow(self.labels[name], self.values[name])
        box.addLayout(grid)
        self.stale_warning = QLabel(objectName="fxStaleWarning")
        self.stale_warning.setWordWrap(True)
        self.stale_warning.hide()
        box.addWidget(self.stale_warning)
        self.override = QCheckBox(objectName="fxOverrideStale")
        self.override.setEnabled(may_override)  # fx.override_stale; the service checks too
        self.override.hide()
        box.addWidget(self.override)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(objectName="fxConfirm")
        self.confirm_button.setEnabled(False)
        self.cancel_button = QPushButton(objectName="fxCancel")
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        box.addLayout(buttons)
        self.message = QLabel(objectName="fxExchangeMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        box.addWidget(self.message)
        box.addStretch(1)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Quote"))
        for name, text in (("rate", self.tr("Rate")), ("gives", self.tr("Customer gives")),
                           ("receives", self.tr("Customer receives")), ("fee", self.tr("Fee")),
                           ("spread", self.tr("Spread (bank income)")),
                           ("age", self.tr("Rate age"))):
            self.labels[name].setText(text)
        self.override.setText(self.tr("Override: use the stale rate (supervisor)"))
        self.confirm_button.setText(self.tr("Confirm exchange"))
        self.cancel_button.setText(self.tr("Clear"))

    def show_quote(self, quote: FxQuoteDTO | None) -> None:
        if quote is None:
            for value in self.values.values():
                value.setText("—")
            self.stale_warning.hide()
            self.override.hide()
            self.override.setChecked(False)
            return
        src, dst = quote.from_currency, quote.to_currency
        v = self.values
        v["rate"].setText(f"1 {src} = {format_rate(quote.customer_rate)} {dst}  "
                          + self.tr("(mid %1)").replace("%1", format_rate(quote.mid_rate)))
        v["gives"].setText(format_money(quote.total_from_minor, src))
        v["receives"].setText(format_money(quote.to_amount_minor, dst))
        v["fee"].setText(format_money(quote.fee_minor, src))
        v["spread"].setText(format_money(quote.spread_minor, src))
        v["age"].setText(format_age(quote.age_s))
        self.stale_warning.setVisible(quote.stale)
        self.override.setVisible(quote.stale)
        if quote.stale:
            self.stale_warning.setText(self.tr(
                "The rate is %1 old, more than the %2 allowed: the deal needs an override.")
                .replace("%1", format_age(quote.age_s))
                .replace("%2", format_age(quote.max_age_s)))
