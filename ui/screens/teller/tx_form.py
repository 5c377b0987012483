"""The transaction form: cash deposit, cash withdrawal, transfer; keyboard first.

Type the amount, Enter quotes the fee, Enter again confirms, Esc cancels. The idempotency key
is made when the form is filled and kept until the transaction is posted (or the form is
cancelled), so a double Enter or a retry after a failure posts once. Above the teller's limit
a supervisor types their credentials (checked in the same transaction) or, for a withdrawal,
the request goes to the checker inbox.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import errors
from core.dto import AccountDTO
from core.errors import DomainError
from core.services import makerchecker
from core.services.teller import approvals, lookup, transactions
from core.services.teller.dto import AccountViewDTO, FeeQuoteDTO, TellerTxDTO
from ui.formatting import format_amount, format_money
from ui.messages import message_for
from ui.screens.teller.calls import Calls, new_key, parse_typed_amount
from ui.screens.teller.dialogs import SupervisorDialog

KINDS = ("deposit", "withdrawal", "transfer")
KIND_LABELS = (QT_TRANSLATE_NOOP("teller", "Cash deposit"),
               QT_TRANSLATE_NOOP("teller", "Cash withdrawal"),
               QT_TRANSLATE_NOOP("teller", "Transfer"))
SERVICES = {"deposit": transactions.cash_deposit, "withdrawal": transactions.cash_withdrawal,
            "transfer": transactions.transfer}
EDIT, CONFIRM, POSTING = "edit", "confirm", "posting"


class TransactionForm(QWidget):
    sig_posted = Signal(object)  # TellerTxDTO
    sig_print_requested = Signal(int)  # teller transaction id

    def __init__(self, calls: Calls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calls = calls
        self._session_id: int | None = None
        self._account: AccountViewDTO | None = None
        self._to: AccountDTO | None = None
        self._amount = 0
        self._state = EDIT
        self._key = new_key("desk")
        self._last_tx: TellerTxDTO | None = None
        self.dialog: SupervisorDialog | None = None
        self._build_ui()
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.amount.returnPressed.connect(self._prepare)
        self.to_account.returnPressed.connect(self._prepare)
        self.amount.textEdited.connect(self._on_edited)
        self.to_account.textEdited.connect(self._on_edited)
        self.confirm.clicked.connect(self._on_confirm)
        self.cancel.clicked.connect(self.cancel_form)
        self.print.clicked.connect(self._on_print)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_form,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for n, key in enumerate((Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4)):
            QShortcut(QKeySequence(key), self, self._kind_setter(n),
                      context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence.StandardKey.Print, self, self._on_print,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._on_kind(0)

    def _kind_setter(self, row: int) -> Any:
        def choose() -> None:
            self.kind.setCurrentIndex(row)
            self.amount.setFocus()
        return choose

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = self._form = QFormLayout()
        self.kind = QComboBox(objectName="tellerKind")
        for _label in KIND_LABELS:
            self.kind.addItem("")
        self.account = QLabel("—", objectName="tellerFormAccount")
        self.account.setWordWrap(True)
        self.to_account = QLineEdit(objectName="tellerToAccount")
        self.to_label = QLabel()
        self.amount = QLineEdit(objectName="tellerAmount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setMaxLength(24)
        self.amount.setMaximumWidth(self.amount.fontMetrics().horizontalAdvance("0") * 24)
        self.currency = QLabel(objectName="tellerCurrency")
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount)
        amount_row.addWidget(self.currency)
        amount_row.addStretch(1)
        self._amount_row = amount_row
        form.addRow(QLabel(), self.kind)
        form.addRow(QLabel(), self.account)
        form.addRow(self.to_label, self.to_account)
        form.addRow(QLabel(), amount_row)
        layout.addLayout(form)
        self.summary = QLabel(objectName="tellerSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.message = QLabel(objectName="tellerMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.confirm = QPushButton(objectName="tellerConfirm")
        self.confirm.setAutoDefault(True)  # Enter on the focused button presses it
        self.cancel = QPushButton(objectName="tellerCancel")
        self.print = QPushButton(objectName="tellerPrint")
        for b in (self.confirm, self.cancel, self.print):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setTabOrder(self.kind, self.to_account)
        self.setTabOrder(self.to_account, self.amount)
        self.setTabOrder(self.amount, self.confirm)
        self.setTabOrder(self.confirm, self.cancel)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for row, label in enumerate(KIND_LABELS):
            self.kind.setItemText(row, QCoreApplication.translate("teller", label))
        for field, text in ((self.kind, self.tr("Transaction (F2 F3 F4)")),
                            (self.account, self.tr("Account")),
                            (self._amount_row, self.tr("Amount"))):
            label = self._form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)
        self.to_label.setText(self.tr("To account"))
        self.confirm.setText(self.tr("Confirm (Enter)"))
        self.cancel.setText(self.tr("Cancel (Esc)"))
        self.print.setText(self.tr("Print receipt… (Ctrl+P)"))

    # --- inputs -------------------------------------------------------------------------------
    @property
    def kind_code(self) -> str:
        return KINDS[self.kind.currentIndex()]

    def set_session(self, session_id: int | None) -> None:
        self._session_id = session_id
        self.setEnabled(session_id is not None)
        self._show_state()

    def set_account(self, view: AccountViewDTO) -> None:
        self._account = view
        acc = view.account
        self.account.setText(f"{acc.number} — {acc.name}")
        self.currency.setText(acc.currency)
        self._back_to_edit()
        (self.to_account if self.kind_code == "transfer" else self.amount).setFocus()

    @Slot(int)
    def _on_kind(self, _row: int) -> None:
        transfer = self.kind_code == "transfer"
        self.to_account.setVisible(transfer)
        self.to_label.setVisible(transfer)
        self._back_to_edit()

    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        if self._state == CONFIRM:
            self._back_to_edit()

    def _back_to_edit(self) -> None:
        if self._state == POSTING:
            return
        self._state = EDIT
        self.summary.clear()
        self._show_state()

    def _show_state(self) -> None:
        self.confirm.setEnabled(self._state == CONFIRM)
        self.print.setEnabled(self._last_tx is not None)

    @Slot()
    def cancel_form(self) -> None:
        """Esc: leave the confirmation, or clear the form (a new key for the next one)."""
        if self._state == POSTING:
            return
        if self._state == CONFIRM:
            self._back_to_edit()
            self.amount.setFocus()
            return
        self.amount.clear()
        self.to_account.clear()
        self.message.clear()
        self._key = new_key("desk")
        self._show_state()

    def _fail(self, error: DomainError) -> None:
        self.message.setText(message_for(error))
        self._state = EDIT
        self._show_state()
        self.amount.setFocus()

    # --- quote and confirm --------------------------------------------------------------------
    @Slot()
    def _prepare(self) -> None:
        if self._state != EDIT or self._session_id is None:
            return
        self.message.clear()
        if self._account is None:
            self.message.setText(self.tr("Find the customer's account first (search above)."))
            return
        currency = self._account.account.currency
        try:
            self._amount = parse_typed_amount(self.amount.text(), currency)
        except errors.DomainError as exc:
            self._fail(exc)
            return
        self.amount.setText(format_amount(self._amount, currency))
        if self.kind_code == "transfer":
            self._calls.read(lookup.account_by_number, self._on_to_account, self._fail,
                             number=self.to_account.text())
        else:
            self._quote()

    def _on_to_account(self, dto: AccountDTO) -> None:
        self._to = dto
        self._quote()

    def _quote(self) -> None:
        assert self._account is not None
        self._calls.read(transactions.quote_fee, self._on_quote, self._fail, kind=self.kind_code,
                         amount_minor=self._amount, currency=self._account.account.currency)

    def _on_quote(self, quote: FeeQuoteDTO) -> None:
        cur = quote.currency
        amount, fee = format_money(quote.amount_minor, cur), format_money(quote.fee_minor, cur)
        if self.kind_code == "deposit":
            text = self.tr("Deposit %1, fee %2: the account is credited %3.").replace(
                "%3", format_money(quote.amount_minor - quote.fee_minor, cur))
        elif self.kind_code == "withdrawal":
            text = self.tr("Pay out %1, fee %2: the account is debited %3.").replace(
                "%3", format_money(quote.amount_minor + quote.fee_minor, cur))
        else:
            assert self._to is not None
            text = self.tr("Transfer %1 to %3, fee %2.").replace("%3", self._to.number)
        text = text.replace("%1", amount).replace("%2", fee)
        self.summary.setText(text + "\n" + self.tr("Enter confirms, Esc goes back."))
        self._state = CONFIRM
        self._show_state()
        self.confirm.setFocus()

    def _params(self) -> dict[str, Any]:
        assert self._account is not None and self._session_id is not None
        acc = self._account.account
        p: dict[str, Any] = {"idempotency_key": self._key, "session_id": self._session_id,
                             "amount_minor": self._amount, "currency": acc.currency}
        if self.kind_code == "transfer":
            assert self._to is not None
            p.update(from_account_id=acc.account_id, to_account_id=self._to.account_id)
        else:
            p["account_id"] = acc.account_id
        return p

    @Slot()
    def _on_confirm(self) -> None:
        self._post()

    def _post(self, supervisor: str = "", password: str = "") -> None:
        if self._state != CONFIRM and not (supervisor and self._state == POSTING):
            return  # a second Enter while the first is on its way does nothing
        self._state = POSTING
        self._show_state()
        extra = {"supervisor_username": supervisor, "supervisor_password": password} \
            if supervisor else {}
        self._calls.run(SERVICES[self.kind_code], self._on_posted, self._on_post_failed,
                        **self._params(), **extra)

    def _on_post_failed(self, error: DomainError) -> None:
        if isinstance(error, errors.OverrideRequired) and self.dialog is None:
            self._ask_supervisor(message_for(error))
            return
        if self.dialog is not None:
            self.dialog.show_error(message_for(error))
            return
        self._fail(error)

    def _ask_supervisor(self, why: str) -> None:
        self.dialog = SupervisorDialog(self.tr("Supervisor override"), why,
                                       allow_inbox=self.kind_code == "withdrawal", parent=self)
        self.dialog.sig_approved.connect(self._on_supervisor)
        self.dialog.sig_send_for_approval.connect(self._on_send_for_approval)
        self.dialog.rejected.connect(self._on_dialog_rejected)
        self.dialog.open()

    @Slot(str, str, str)
    def _on_supervisor(self, username: str, password: str, _reason: str) -> None:
        if not username and self.dialog is not None:
            self.dialog.show_error(self.tr("Type the supervisor's user name and password."))
            return
        self._post(username, password)

    @Slot()
    def _on_send_for_approval(self) -> None:
        p = self._params()
        params = {k: p[k] for k in ("session_id", "account_id", "amount_minor", "currency",
                                    "idempotency_key")}
        self._calls.run(makerchecker.request_approval, self._on_requested,
                        self._on_post_failed, action=approvals.ACTION, params=params)

    def _on_requested(self, request: Any) -> None:
        self._close_dialog()
        self._state = EDIT
        self.summary.clear()
        self.message.setText(self.tr("Sent to the checker inbox as request %1; the cash is paid "
                                     "when a head teller approves it.")
                             .replace("%1", str(request.request_id)))
        self._key = new_key("desk")
        self.amount.clear()
        self._show_state()

    @Slot()
    def _on_dialog_rejected(self) -> None:
        self.dialog = None
        self._state = EDIT
        self.summary.clear()
        self.message.setText(self.tr("Not posted: the override was cancelled."))
        self._show_state()
        self.amount.setFocus()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.rejected.disconnect(self._on_dialog_rejected)
            dialog.accept()

    def _on_posted(self, tx: TellerTxDTO) -> None:
        self._close_dialog()
        self._last_tx = tx
        self._state = EDIT
        self._key = new_key("desk")  # the next transaction is a new request
        self.summary.clear()
        text = self.tr("Posted %1: %2.").replace("%1", tx.reference).replace(
            "%2", format_money(tx.amount_minor, tx.currency))
        if tx.override_by:
            text += " " + self.tr("Approved by %1.").replace("%1", tx.override_by)
        if tx.vault_transfer_needed and tx.till_position is not None:
            text += " " + self.tr("The till is above its cash limit: send %1 to the vault (F8).") \
                .replace("%1", format_money(tx.till_position.excess_minor, tx.currency))
        self.message.setText(text)
        self.amount.clear()
        self.to_account.clear()
        self._show_state()
        self.sig_posted.emit(tx)
        self.print.setFocus()

    @Slot()
    def _on_print(self) -> None:
        if self._last_tx is not None:
            self.sig_print_requested.emit(self._last_tx.transaction_id)

    @property
    def key(self) -> str:
        return self._key
