"""The request half of the exchange form: kind, accounts or currencies, amount and fee."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit

ACCOUNTS, COUNTER = "accounts", "counter"
ROWS = ("mode", "till", "from_account", "to_account", "from_currency", "to_currency", "amount",
        "fee")


class RequestBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__(objectName="fxRequestBox")
        self._form = form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.mode = QComboBox(objectName="fxMode")
        self.mode.addItem("", ACCOUNTS)
        self.mode.addItem("", COUNTER)
        self.from_account = QLineEdit(objectName="fxFromAccount")
        self.to_account = QLineEdit(objectName="fxToAccount")
        self.from_info = QLabel(objectName="fxFromInfo")
        self.to_info = QLabel(objectName="fxToInfo")
        self.till_info = QLabel(objectName="fxTillInfo")
        self.till_info.setWordWrap(True)
        self.from_currency = QComboBox(objectName="fxFromCurrency")
        self.to_currency = QComboBox(objectName="fxToCurrency")
        self.amount = QLineEdit(objectName="fxAmount")
        self.fee = QLineEdit(objectName="fxFee")
        for edit in (self.amount, self.fee):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_currency = QLabel(objectName="fxAmountCurrency")
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.amount_currency)
        self.labels = {name: QLabel() for name in ROWS}
        for name, field in (("mode", self.mode), ("till", self.till_info),
                            ("from_account", self.from_account), ("", self.from_info),
                            ("to_account", self.to_account), ("", self.to_info),
                            ("from_currency", self.from_currency),
                            ("to_currency", self.to_currency), ("amount", amount_row),
                            ("fee", self.fee)):
            form.addRow(self.labels[name] if name else QLabel(), field)  # type: ignore[arg-type]

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Exchange"))
        self.mode.setItemText(0, self.tr("Between the customer's accounts"))
        self.mode.setItemText(1, self.tr("Cash at the counter"))
        for name, text in (("mode", self.tr("Kind")), ("till", self.tr("Till")),
                           ("from_account", self.tr("From account")),
                           ("to_account", self.tr("To account")),
                           ("from_currency", self.tr("Customer gives")),
                           ("to_currency", self.tr("Customer receives")),
                           ("amount", self.tr("Amount")), ("fee", self.tr("Fee"))):
            self.labels[name].setText(text)
        self.from_account.setPlaceholderText(self.tr("Account number"))
        self.to_account.setPlaceholderText(self.tr("Account number"))
        self.fee.setPlaceholderText(self.tr("0"))

    def show_mode(self, counter: bool) -> None:
        """Accounts for a conversion between accounts; till and currencies at the counter."""
        for name, widgets in (("till", (self.till_info,)),
                              ("from_account", (self.from_account, self.from_info)),
                              ("to_account", (self.to_account, self.to_info)),
                              ("from_currency", (self.from_currency,)),
                              ("to_currency", (self.to_currency,))):
            show = counter == (name.endswith("currency") or name == "till")
            for w in widgets:
                self._form.setRowVisible(w, show)  # the whole row: no gap where it was

    def fill_currencies(self, currencies: list[str]) -> None:
        """Offer these currencies, keeping the choices that remain; never the same twice."""
        for combo in (self.from_currency, self.to_currency):
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(currencies)
            if chosen in currencies:
                combo.setCurrentText(chosen)
            combo.blockSignals(False)
        if self.to_currency.currentIndex() == self.from_currency.currentIndex() \
                and len(currencies) > 1:
            self.to_currency.setCurrentIndex((self.from_currency.currentIndex() + 1)
                                             % len(currencies))
