"""The teller desk: the till (open with a count, close with a blind count), the customer
lookup and account view, the transaction form, and the session's journal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.errors import DomainError
from core.reports.receipt import render_receipt
from core.services import setup
from core.services.teller import receipts, tills, transactions
from core.services.teller.dto import ReceiptDTO, SessionDTO, TellerTxDTO, TillDTO
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_datetime, format_money
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext
from ui.screens.teller.blotter_panel import BlotterPanel
from ui.screens.teller.calls import Calls, new_key
from ui.screens.teller.cash_dialog import CashMovementsDialog
from ui.screens.teller.dialogs import CountDialog, SupervisorDialog
from ui.screens.teller.lookup_panel import LookupPanel
from ui.screens.teller.receipt_view import ReceiptDialog
from ui.screens.teller.tx_form import TransactionForm
from ui.tasks import TaskRunner

CASH_SHORTCUT = Qt.Key.Key_F8


@dataclass(frozen=True)
class DeskState:
    branch_id: int | None
    tills: tuple[TillDTO, ...]
    sessions: dict[int, SessionDTO | None]


def load_desk(ctx: CoreContext, actor: Actor) -> DeskState:
    """Runs on a worker: the tills of the actor's branch and their open sessions."""
    branch_id = actor.branch_id
    if branch_id is None:  # an all-branch user: the first branch
        branches = ctx.read(setup.list_branches, actor)
        branch_id = branches[0].branch_id if branches else None
    if branch_id is None:
        return DeskState(None, (), {})
    found = tuple(ctx.read(tills.list_tills, actor, branch_id=branch_id))
    sessions = {t.till_id: ctx.read(tills.current_session, actor, till_id=t.till_id)
                for t in found}
    return DeskState(branch_id, found, sessions)


def default_row(state: DeskState, username: str) -> int:
    """The till this teller has open, else the first one nobody has open."""
    for row, till in enumerate(state.tills):
        sess = state.sessions.get(till.till_id)
        if sess is not None and sess.teller == username:
            return row
    free = [r for r, t in enumerate(state.tills) if state.sessions.get(t.till_id) is None]
    return free[0] if free else 0


class TellerScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_teller")
        self._shell = shell
        self._runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self.calls = Calls(self._runner, self)
        self._state: DeskState | None = None
        self.session: SessionDTO | None = None
        self.count_dialog: CountDialog | None = None
        self.reverse_dialog: SupervisorDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.cash_dialog: CashMovementsDialog | None = None
        self._vault_excess: tuple[str, int] | None = None  # what the last post said to send
        self.printer_factory: Callable[[], QPrinter] | None = None  # tests: no print dialog
        self._close_key = new_key("close")
        self._reversing: tuple[int, str] = (0, "")
        self._build_ui()
        self.till.activated.connect(self._on_till_picked)
        self.open_button.clicked.connect(self._on_open)
        self.close_button.clicked.connect(self._on_close)
        self.cash_button.clicked.connect(self.open_cash_movements)
        QShortcut(QKeySequence(CASH_SHORTCUT), self, self.open_cash_movements,
                  context=Qt.ShortcutContext.WindowShortcut)
        self.lookup.sig_account_chosen.connect(self.form.set_account)
        self.form.sig_posted.connect(self._on_posted)
        self.form.sig_print_requested.connect(self.print_receipt)
        self.blotter.sig_reprint_requested.connect(self.print_receipt)
        self.blotter.sig_reverse_requested.connect(self._on_reverse)
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        head = QHBoxLayout()
        self.title = QLabel(objectName="screenTitle")
        self.till = QComboBox(objectName="tellerTill")
        self.till.setMinimumWidth(160)
        self.till_status = QLabel(objectName="tellerTillStatus")
        self.open_button = QPushButton(objectName="tellerOpen")
        self.close_button = QPushButton(objectName="tellerClose")
        self.cash_button = QPushButton(objectName="tellerCash")
        self.till_label = QLabel()
        head.addWidget(self.title)
        head.addSpacing(16)
        head.addWidget(self.till_label)
        head.addWidget(self.till)
        head.addWidget(self.till_status, 1)
        head.addWidget(self.open_button)
        head.addWidget(self.close_button)
        head.addWidget(self.cash_button)
        layout.addLayout(head)
        self.message = QLabel(objectName="screenMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = self.lookup_box = QGroupBox()
        QVBoxLayout(left).addWidget(self._make_lookup())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        tx_box = self.tx_box = QGroupBox()
        self.form = TransactionForm(self.calls)
        QVBoxLayout(tx_box).addWidget(self.form)
        journal_box = self.journal_box = QGroupBox()
        self.blotter = BlotterPanel(self.calls)
        QVBoxLayout(journal_box).addWidget(self.blotter)
        right_layout.addWidget(tx_box, 0)
        right_layout.addWidget(journal_box, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.setTabOrder(self.lookup.search, self.lookup.results)
        self.setTabOrder(self.lookup.results, self.form.kind)
        self._set_texts()

    def _set_texts(self) -> None:
        self.title.setText(self.tr("Teller desk"))
        self.till_label.setText(self.tr("Till"))
        self.open_button.setText(self.tr("Open till…"))
        self.close_button.setText(self.tr("Close till…"))
        self.cash_button.setText(self.tr("Cash movements… (F8)"))
        self.lookup_box.setTitle(self.tr("Customer and account"))
        self.tx_box.setTitle(self.tr("Transaction"))
        self.journal_box.setTitle(self.tr("Journal of the session"))

    def retranslate_ui(self) -> None:
        self._set_texts()
        self.lookup.retranslate_ui()
        self.form.retranslate_ui()
        self.blotter.retranslate_ui()
        self.till_status.setText(self._status_text(self.session))

    def _make_lookup(self) -> LookupPanel:
        self.lookup = LookupPanel(self.calls)
        return self.lookup

    # --- till ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.calls.submit(load_desk, self._on_desk, self._failed, self._shell.ctx,
                          self._shell.actor)

    def _on_desk(self, state: DeskState) -> None:
        self._state = state
        self.till.clear()
        for t in state.tills:
            self.till.addItem(f"{t.code} — {t.name}", t.till_id)
        if not state.tills:
            self._show_message(self.tr("This branch has no till yet."))
            self._set_session(None)
            return
        row = default_row(state, self._shell.actor.username)
        self.till.setCurrentIndex(row)
        self._set_session(state.sessions.get(state.tills[row].till_id))
        self.lookup.search.setFocus()

    @Slot(int)
    def _on_till_picked(self, row: int) -> None:
        if self._state is not None:
            self._set_session(self._state.sessions.get(self._state.tills[row].till_id))

    def current_till(self) -> TillDTO | None:
        row = self.till.currentIndex()
        return self._state.tills[row] if self._state and 0 <= row < len(self._state.tills) \
            else None

    def _set_session(self, sess: SessionDTO | None) -> None:
        self.session = sess if sess is None or sess.status == "open" else None
        own = sess is not None and sess.status == "open" \
            and sess.teller == self._shell.actor.username
        self.form.set_session(sess.session_id if own and sess else None)
        self.blotter.set_session(sess.session_id if sess else None)
        self.open_button.setEnabled(self.current_till() is not None and self.session is None)
        self.close_button.setEnabled(own)
        self.cash_button.setEnabled(self._state is not None and self._state.branch_id is not None)
        self.till_status.setText(self._status_text(sess))

    def _status_text(self, sess: SessionDTO | None) -> str:
        if sess is None:
            return self.tr("Closed")
        if sess.status == "open":
            return self.tr("Open since %1 (teller %2)").replace(
                "%1", format_datetime(sess.opened_at)).replace("%2", sess.teller)
        parts = [format_money(b.variance_minor or 0, b.currency) for b in sess.balances]
        return self.tr("Closed; variance %1").replace("%1", ", ".join(parts))

    @Slot()
    def _on_open(self) -> None:
        till = self.current_till()
        if till is None:
            return
        self.count_dialog = CountDialog(tuple(c.currency for c in till.currencies),
                                        closing=False, parent=self)
        self.count_dialog.sig_count_entered.connect(self._open_counted)
        self.count_dialog.open()

    @Slot(object, str, str, str)
    def _open_counted(self, counted: dict, _note: str, _sup: str, _pw: str) -> None:
        till = self.current_till()
        assert till is not None
        self.calls.run(tills.open_session, self._on_opened, self._count_failed,
                       till_id=till.till_id, counted=counted)

    def _on_opened(self, sess: SessionDTO) -> None:
        self._done_count()
        self._close_key = new_key("close")
        self._remember(sess)
        self._show_message("")
        self.lookup.search.setFocus()

    @Slot()
    def _on_close(self) -> None:
        till = self.current_till()
        if till is None or self.session is None:
            return
        self.count_dialog = CountDialog(tuple(c.currency for c in till.currencies),
                                        closing=True, parent=self)
        self.count_dialog.sig_count_entered.connect(self._close_counted)
        self.count_dialog.open()

    @Slot(object, str, str, str)
    def _close_counted(self, counted: dict, note: str, sup: str, pw: str) -> None:
        assert self.session is not None
        extra = {"supervisor_username": sup, "supervisor_password": pw} if sup else {}
        self.calls.run(tills.close_session, self._on_closed, self._count_failed,
                       session_id=self.session.session_id, idempotency_key=self._close_key,
                       counted=counted, note=note, **extra)

    def _on_closed(self, sess: SessionDTO) -> None:
        self._done_count()
        self._remember(sess)
        self._show_message(self._status_text(sess))

    def _remember(self, sess: SessionDTO) -> None:
        if self._state is not None:
            self._state.sessions[sess.till_id] = sess if sess.status == "open" else None
        self._set_session(sess)

    def _count_failed(self, error: DomainError) -> None:
        if self.count_dialog is not None:
            self.count_dialog.show_error(message_for(error))

    def _done_count(self) -> None:
        if self.count_dialog is not None:
            self.count_dialog.accept()
            self.count_dialog = None

    @Slot()
    def open_cash_movements(self) -> None:
        """Send cash to the vault or another till; confirm or cancel pending movements."""
        if self._state is None or self._state.branch_id is None:
            return
        if self.cash_dialog is None:
            self.cash_dialog = CashMovementsDialog(self.calls, self._shell.actor,
                                                   self._state.branch_id, self)
        else:
            self.cash_dialog.refresh()
        if self._vault_excess is not None:  # the form said "send X to the vault": prefill it
            self.cash_dialog.suggest_to_vault(*self._vault_excess)
            self._vault_excess = None
        self.cash_dialog.open()

    # --- after a transaction, reversal, receipts ----------------------------------------------
    @Slot(object)
    def _on_posted(self, tx: TellerTxDTO) -> None:
        pos = tx.till_position
        self._vault_excess = (tx.currency, pos.excess_minor) \
            if tx.vault_transfer_needed and pos is not None else None
        self.blotter.refresh()
        self.lookup.show_account(tx.account_id)

    @Slot(object)
    def _on_reverse(self, tx: TellerTxDTO) -> None:
        why = self.tr("Reverse %1 (%2)? A supervisor types their credentials and a reason.") \
            .replace("%1", tx.reference).replace("%2", format_money(tx.amount_minor,
                                                                    tx.currency))
        self.reverse_dialog = SupervisorDialog(self.tr("Reverse a transaction"), why,
                                               ask_reason=True, parent=self)
        self._reversing = (tx.transaction_id, new_key("reverse"))  # one key for all attempts
        self.reverse_dialog.sig_approved.connect(self._reverse_approved)
        self.reverse_dialog.open()

    @Slot(str, str, str)
    def _reverse_approved(self, user: str, password: str, reason: str) -> None:
        transaction_id, key = self._reversing
        extra = {"supervisor_username": user, "supervisor_password": password} if user else {}
        self.calls.run(transactions.reverse_transaction, self._on_reversed,
                       self._reverse_failed, idempotency_key=key,
                       transaction_id=transaction_id, reason=reason, **extra)

    def _on_reversed(self, tx: TellerTxDTO) -> None:
        if self.reverse_dialog is not None:
            self.reverse_dialog.accept()
            self.reverse_dialog = None
        self._show_message(self.tr("%1 reversed by %2.").replace("%1", tx.reference)
                           .replace("%2", tx.reversed_by or ""))
        self.blotter.refresh()

    def _reverse_failed(self, error: DomainError) -> None:
        if self.reverse_dialog is not None:
            self.reverse_dialog.show_error(message_for(error))

    @Slot(int)
    def print_receipt(self, transaction_id: int) -> None:
        self.calls.submit(_receipt_and_pdf, self._on_receipt, self._failed, self._shell.ctx,
                          self._shell.actor, transaction_id)

    def _on_receipt(self, made: tuple[ReceiptDTO, bytes]) -> None:
        receipt, pdf = made
        self.receipt_dialog = ReceiptDialog(receipt, pdf, self, self.printer_factory)
        self.receipt_dialog.open()

    def _failed(self, error: DomainError) -> None:
        self._show_message(message_for(error))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


def _receipt_and_pdf(ctx: CoreContext, actor: Actor, transaction_id: int
                     ) -> tuple[ReceiptDTO, bytes]:
    """On a worker: count the print (DUPLICATE after the first) and render the PDF."""
    receipt = ctx.run(receipts.print_receipt, actor, transaction_id=transaction_id)
    return receipt, render_receipt(receipt)
