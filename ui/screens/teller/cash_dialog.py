"""Cash movements: send cash from one's open till (or, with teller.vault, the vault) to the vault
or another open till of the branch, and confirm or cancel the pending movements one may act on.

Thin: the services check the permissions, the two-user rule and the cash held; the dialog shows
their refusals as sentences. Opened with open(), never exec().
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import DomainError
from core.services import authz
from core.services.teller import movements, tills
from core.services.teller.dto import CashMovementDTO, TillDTO
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_amount, format_money
from ui.messages import message_for
from ui.screens.teller.calls import Calls, new_key, parse_typed_amount

VAULT = -1  # combo data of the vault side (a till id of None in the services)


@dataclass(frozen=True)
class CashState:
    own_till_id: int | None  # the till this user has open
    open_tills: tuple[TillDTO, ...]  # tills of the branch with an open session
    pending: tuple[CashMovementDTO, ...]  # the movements this user may confirm or cancel


def load_cash(ctx: CoreContext, actor: Actor, branch_id: int) -> CashState:
    """On a worker: the open tills of the branch and the pending movements that concern us."""
    open_tills: list[TillDTO] = []
    own = None
    for t in ctx.read(tills.list_tills, actor, branch_id=branch_id):
        sess = ctx.read(tills.current_session, actor, till_id=t.till_id)
        if sess is not None and sess.status == "open":
            open_tills.append(t)
            own = t.till_id if sess.teller == actor.username else own
    vault = authz.allowed(actor, "teller.vault")
    pending = tuple(m for m in ctx.read(movements.list_pending, actor, branch_id=branch_id)
                    if m.sent_by == actor.username or (own is not None and m.to_till_id == own)
                    or (vault and m.to_till_id is None))
    return CashState(own, tuple(open_tills), pending)


class CashMovementsDialog(QDialog):
    def __init__(self, calls: Calls, actor: Actor, branch_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._branch_id = branch_id
        self.setObjectName("tellerCashDialog")
        self.calls = calls
        self._actor = actor
        self._state: CashState | None = None
        self._send_key = new_key("cash")
        self._act_keys: dict[tuple[str, int], str] = {}  # one key per movement and action
        self._suggested: tuple[str, int] | None = None
        self._build_ui()
        self.source.currentIndexChanged.connect(self._on_source)
        for field in (self.source, self.target, self.currency):
            field.currentIndexChanged.connect(self._new_send_key)
        self.amount.textEdited.connect(self._new_send_key)
        self.amount.returnPressed.connect(self._on_send)
        self.send.clicked.connect(self._on_send)
        self.confirm.clicked.connect(self._on_confirm)
        self.cancel_movement.clicked.connect(self._on_cancel)
        self.refresh()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Cash movements"))
        layout = QVBoxLayout(self)
        send_box = QGroupBox(self.tr("Send cash"))
        form = QFormLayout(send_box)
        self.source = QComboBox(objectName="cashSource")
        self.target = QComboBox(objectName="cashTarget")
        self.currency = QComboBox(objectName="cashCurrency")
        self.amount = QLineEdit(objectName="cashAmount")
        self.send = QPushButton(self.tr("Send"), objectName="cashSend")
        form.addRow(self.tr("From"), self.source)
        form.addRow(self.tr("To"), self.target)
        form.addRow(self.tr("Currency"), self.currency)
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow("", self.send)
        layout.addWidget(send_box)
        pending_box = QGroupBox(self.tr("Pending movements"))
        pending_layout = QVBoxLayout(pending_box)
        self.pending = QListWidget(objectName="cashPending")
        pending_layout.addWidget(self.pending)
        row = QHBoxLayout()
        self.confirm = QPushButton(self.tr("Confirm receipt"), objectName="cashConfirm")
        self.cancel_movement = QPushButton(self.tr("Cancel movement"), objectName="cashCancel")
        row.addStretch(1)
        row.addWidget(self.confirm)
        row.addWidget(self.cancel_movement)
        pending_layout.addLayout(row)
        layout.addWidget(pending_box, 1)
        self.info = QLabel(objectName="cashInfo")
        self.info.setWordWrap(True)
        self.error = QLabel(objectName="dialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d64541;")
        self.error.hide()
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 480)

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.calls.submit(load_cash, self._on_loaded, self.show_error, self.calls.runner.ctx,
                          self._actor, self._branch_id)

    def _on_loaded(self, state: CashState) -> None:
        self._state = state
        self.source.blockSignals(True)
        self.source.clear()
        for t in state.open_tills:
            if t.till_id == state.own_till_id:
                self.source.addItem(self._till_name(t), t.till_id)
        if authz.allowed(self._actor, "teller.vault"):
            self.source.addItem(self.tr("Vault"), VAULT)
        self.source.blockSignals(False)
        self._on_source()
        self.pending.clear()
        for m in state.pending:
            item = QListWidgetItem(self._movement_text(m))
            item.setData(Qt.ItemDataRole.UserRole, m.movement_id)
            self.pending.addItem(item)
        if self.pending.count():
            self.pending.setCurrentRow(0)
        self.send.setEnabled(self.source.count() > 0)
        self.confirm.setEnabled(self.pending.count() > 0)
        self.cancel_movement.setEnabled(self.pending.count() > 0)
        if self._suggested is not None:
            self._fill_suggestion(*self._suggested)
            self._suggested = None

    def suggest_to_vault(self, currency: str, amount_minor: int) -> None:
        """Prefill own till -> vault with the excess the form reported (after the next load)."""
        self._suggested = (currency, amount_minor)

    def _fill_suggestion(self, currency: str, amount_minor: int) -> None:
        own = self._state.own_till_id if self._state else None
        src = self.source.findData(own)
        if own is None or src < 0:
            return
        self.source.setCurrentIndex(src)  # rebuilds the targets and currencies
        self.target.setCurrentIndex(max(self.target.findData(VAULT), 0))
        self.currency.setCurrentIndex(max(self.currency.findText(currency), 0))
        self.amount.setText(format_amount(amount_minor, currency))
        self._new_send_key()

    def _till_name(self, t: TillDTO) -> str:
        return f"{t.code} — {t.name}"

    def _side_name(self, till_id: int | None) -> str:
        if till_id is None:
            return self.tr("Vault")
        shown = self._state.open_tills if self._state else ()
        return next((t.code for t in shown if t.till_id == till_id), f"#{till_id}")

    def _movement_text(self, m: CashMovementDTO) -> str:
        return self.tr("#%1: %2 from %3 to %4, sent by %5").replace("%1", str(m.movement_id)) \
            .replace("%2", format_money(m.amount_minor, m.currency)) \
            .replace("%3", self._side_name(m.from_till_id)) \
            .replace("%4", self._side_name(m.to_till_id)).replace("%5", m.sent_by)

    @Slot()
    def _on_source(self) -> None:
        """The targets are the other side(s); the currencies those of the till involved."""
        src = self.source.currentData()
        shown = self._state.open_tills if self._state else ()
        self.target.clear()
        if src != VAULT and src is not None:
            self.target.addItem(self.tr("Vault"), VAULT)
        for t in shown:
            if t.till_id != src:
                self.target.addItem(self._till_name(t), t.till_id)
        own = next((t for t in shown if t.till_id == src), None)
        currencies = [c.currency for c in own.currencies] if own else \
            sorted({c.currency for t in shown for c in t.currencies})
        self.currency.clear()
        self.currency.addItems(currencies)

    # --- actions ------------------------------------------------------------------------------
    @Slot()
    def _new_send_key(self) -> None:
        self._send_key = new_key("cash")  # changed form: a new request, not a retry

    @Slot()
    def _on_send(self) -> None:
        src, dst, cur = self.source.currentData(), self.target.currentData(), \
            self.currency.currentText()
        if src is None or dst is None or not cur:
            return
        try:
            amount = parse_typed_amount(self.amount.text(), cur)
        except DomainError as error:
            self.show_error(message_for(error))
            return
        self.send.setEnabled(False)
        self.calls.run(movements.send_cash, self._on_sent, self._on_refused,
                       idempotency_key=self._send_key, currency=cur, amount_minor=amount,
                       from_till_id=None if src == VAULT else src,
                       to_till_id=None if dst == VAULT else dst)

    def _on_sent(self, m: CashMovementDTO) -> None:
        self._new_send_key()
        self.amount.clear()
        self._done(self.tr("Sent: %1.").replace("%1", self._movement_text(m)))

    @Slot()
    def _on_confirm(self) -> None:
        self._act("confirm")

    @Slot()
    def _on_cancel(self) -> None:
        self._act("cancel")

    def _act(self, action: str) -> None:
        item = self.pending.currentItem()
        if item is None:
            return
        movement_id = int(item.data(Qt.ItemDataRole.UserRole))
        key = self._act_keys.setdefault((action, movement_id), new_key(action))
        service = movements.confirm_cash if action == "confirm" else movements.cancel_cash
        self.confirm.setEnabled(False)
        self.cancel_movement.setEnabled(False)
        self.calls.run(service, self._on_acted, self._on_refused, idempotency_key=key,
                       movement_id=movement_id)

    def _on_acted(self, m: CashMovementDTO) -> None:
        text = self.tr("Movement #%1 confirmed.") if m.status == "confirmed" \
            else self.tr("Movement #%1 cancelled.")
        self._done(text.replace("%1", str(m.movement_id)))

    def _done(self, text: str) -> None:
        self.error.hide()
        self.info.setText(text)
        self.refresh()

    def _on_refused(self, error: DomainError) -> None:
        self.send.setEnabled(self.source.count() > 0)
        self.confirm.setEnabled(self.pending.count() > 0)
        self.cancel_movement.setEnabled(self.pending.count() > 0)
        self.show_error(message_for(error))

    def show_error(self, text: str | DomainError) -> None:
        self.error.setText(message_for(text) if isinstance(text, DomainError) else text)
        self.error.show()
