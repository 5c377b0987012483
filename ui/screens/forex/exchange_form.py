"""The exchange form: between a customer's accounts, or cash at the counter.

The quote is asked for as the teller types (debounced) and shown before anything can be
confirmed. An idempotency key is made when a quote arrives for a new set of parameters and kept
until they change or the deal is done: a double click or a retry after a failure sends the same
key, and the service answers a replay with the first deal instead of posting again.
Enter confirms a shown quote (or asks for one), Esc clears the form.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core import errors, limits
from core.dto import AccountDTO
from core.dto_fx import CounterTillDTO, FxDealDTO, FxQuoteDTO
from core.services import accounts, fx_counter, fx_exchange
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_amount, format_money
from ui.messages import message_for
from ui.screens.forex.common import parse_local_amount
from ui.screens.forex.quote_panel import QuotePanel
from ui.screens.forex.request_box import ACCOUNTS, COUNTER, RequestBox
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class Request:
    """What the teller asked for; a new one gets a new idempotency key."""

    mode: str
    from_currency: str
    to_currency: str
    amount_minor: int
    fee_minor: int
    from_account_id: int | None = None
    to_account_id: int | None = None


class ExchangeForm(QWidget):
    def __init__(self, ctx: CoreContext, actor: Actor, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("fxExchangeForm")
        self._ctx, self._actor, self._runner = ctx, actor, runner
        self.accounts: dict[str, AccountDTO | None] = {"from": None, "to": None}
        self.quote: FxQuoteDTO | None = None
        self.quoted: Request | None = None  # the request the shown quote is for
        self.key: str | None = None
        self.keyed: Request | None = None
        self.deal: FxDealDTO | None = None
        self._quote_task: int | None = None
        self._pending_request: Request | None = None
        self._confirm_task: int | None = None
        self._lookup_tasks: dict[int, str] = {}
        self.till: CounterTillDTO | None = None  # the teller's open till session (counter)
        self._till_task: int | None = None
        self._offered: list[str] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(limits.UI_FX_QUOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.request_quote)
        self._build_ui()
        self.retranslate_ui()
        runner.sig_task_finished.connect(self._on_finished)
        runner.sig_task_failed.connect(self._on_failed)
        self._on_mode_changed()

    # --- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        left = QVBoxLayout()
        self.request_box = r = RequestBox()
        self.mode, self.labels, self.till_info = r.mode, r.labels, r.till_info
        self.from_account, self.to_account = r.from_account, r.to_account
        self.from_info, self.to_info = r.from_info, r.to_info
        self.from_currency, self.to_currency = r.from_currency, r.to_currency
        self.amount, self.fee, self.amount_currency = r.amount, r.fee, r.amount_currency
        left.addWidget(self.request_box)
        left.addStretch(1)
        outer.addLayout(left, 1)
        self.quote_panel = QuotePanel(allowed(self._actor, "fx.override_stale"))
        outer.addWidget(self.quote_panel, 1)
        p = self.quote_panel  # the form drives the panel's parts directly
        self.quote_values, self.stale_warning, self.override = p.values, p.stale_warning, \
            p.override
        self.confirm_button, self.cancel_button, self.message = p.confirm_button, \
            p.cancel_button, p.message
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        for edit in (self.amount, self.fee):
            edit.textEdited.connect(self._on_edited)
            edit.returnPressed.connect(self.enter_pressed)
            edit.editingFinished.connect(self._reformat_amounts)
        for edit in (self.from_account, self.to_account):
            edit.editingFinished.connect(self._lookup_accounts)
            edit.returnPressed.connect(self.enter_pressed)
        self.from_account.textEdited.connect(self._on_from_account_edited)
        self.to_account.textEdited.connect(self._on_to_account_edited)
        for combo in (self.from_currency, self.to_currency):
            combo.currentIndexChanged.connect(self._on_edited)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.cancel)
        self.override.toggled.connect(self._update_confirm)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.cancel)

    def retranslate_ui(self) -> None:
        self.request_box.retranslate_ui()
        self.quote_panel.retranslate_ui()
        if self.current_mode == COUNTER:
            self._show_till()

    def set_currencies(self, currencies: list[str]) -> None:
        """The currencies with a rate in force, and the base currency."""
        self._offered = list(currencies)
        self._fill_currencies()

    def _fill_currencies(self) -> None:
        """Counter mode offers only what the till holds."""
        held = set(self.till.currencies) if self.till is not None else set(self._offered)
        self.request_box.fill_currencies([c for c in self._offered if c in held])

    def load_till(self) -> None:
        self._till_task = self._runner.read(fx_counter.my_till)

    def _show_till(self) -> None:
        if self.till is None:
            self.till_info.setText(self.tr(
                "You have no open till: open it on the teller screen to exchange cash."))
        else:
            self.till_info.setText(self.tr("%1 (session %2): %3").replace(
                "%1", self.till.till_code).replace("%2", str(self.till.session_id))
                .replace("%3", ", ".join(self.till.currencies)))

    # --- the request --------------------------------------------------------------------------
    @property
    def current_mode(self) -> str:
        return str(self.mode.currentData())

    @Slot()
    def _on_mode_changed(self) -> None:
        counter = self.current_mode == COUNTER
        self.request_box.show_mode(counter)
        if counter:
            self.load_till()
        self._on_edited()

    def _from_to(self) -> tuple[str, str] | None:
        if self.current_mode == COUNTER:
            return self.from_currency.currentText(), self.to_currency.currentText()
        src, dst = self.accounts["from"], self.accounts["to"]
        return (src.currency, dst.currency) if src and dst else None

    def build_request(self) -> Request | None:
        """The request as typed, or None while incomplete; DomainError for bad input."""
        pair = self._from_to()
        src_ccy = pair[0] if pair else ""
        self.amount_currency.setText(src_ccy)
        if pair is None or not pair[0] or not pair[1] or not self.amount.text().strip():
            return None
        amount = parse_local_amount(self.amount.text(), pair[0]).amount_minor
        fee_text = self.fee.text().strip()
        fee = parse_local_amount(fee_text, pair[0]).amount_minor if fee_text else 0
        src, dst = self.accounts["from"], self.accounts["to"]
        if self.current_mode == COUNTER:
            return Request(COUNTER, pair[0], pair[1], amount, fee)
        assert src is not None and dst is not None
        return Request(ACCOUNTS, pair[0], pair[1], amount, fee, src.account_id, dst.account_id)

    @Slot()
    def _on_edited(self) -> None:
        self._show_quote(None)
        self._debounce.start()

    @Slot()
    def _on_from_account_edited(self) -> None:
        self.accounts["from"] = None
        self._on_edited()

    @Slot()
    def _on_to_account_edited(self) -> None:
        self.accounts["to"] = None
        self._on_edited()

    @Slot()
    def _lookup_accounts(self) -> None:
        for side, edit in (("from", self.from_account), ("to", self.to_account)):
            number = edit.text().strip()
            known = self.accounts[side]
            if number and (known is None or known.number != number):
                self.accounts[side] = None
                task = self._runner.read(accounts.find_account, number=number)
                self._lookup_tasks[task] = side
            elif not number:
                self.accounts[side] = None
                self._info(side).setText("")

    @Slot()
    def _reformat_amounts(self) -> None:
        """Show what was typed in the locale's format ('1500' -> '1,500.00')."""
        pair = self._from_to()
        if not pair or not pair[0]:
            return
        for edit in (self.amount, self.fee):
            try:
                minor = parse_local_amount(edit.text(), pair[0]).amount_minor
            except errors.DomainError:
                continue  # left as typed; the quote request names the problem
            edit.setText(format_amount(minor, pair[0]))

    def _info(self, side: str) -> QLabel:
        return self.from_info if side == "from" else self.to_info

    @Slot()
    def requote(self) -> None:
        """Rates changed: a quote on show is asked for again (not while a deal is posting)."""
        if self.quote is not None and self._confirm_task is None:
            self.request_quote()

    @Slot()
    def request_quote(self) -> None:
        self._debounce.stop()
        try:
            req = self.build_request()
        except errors.DomainError as exc:
            self._say(message_for(exc), error=True)
            return
        if req is None:
            return
        self._say("")
        self._pending_request = req
        branch = self._actor.branch_id
        if req.mode == COUNTER and self.till is not None:
            branch = self.till.branch_id
        if req.mode == ACCOUNTS and self.accounts["from"] is not None and branch is None:
            branch = self.accounts["from"].branch_id
        self._quote_task = self._runner.read(
            fx_exchange.quote, from_currency=req.from_currency, to_currency=req.to_currency,
            amount_minor=req.amount_minor, fee_minor=req.fee_minor, branch_id=branch)

    # --- results ------------------------------------------------------------------------------
    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id in self._lookup_tasks:
            side = self._lookup_tasks.pop(task_id)
            assert isinstance(result, AccountDTO)
            self.accounts[side] = result
            self._info(side).setText(f"{result.name} · " + format_money(
                result.available_minor, result.currency))
            self.request_quote()
        elif task_id == self._till_task:
            self._till_task = None
            assert result is None or isinstance(result, CounterTillDTO)
            self.till = result
            self._show_till()
            self._fill_currencies()
            self._update_confirm()
        elif task_id == self._quote_task:
            self._quote_task = None
            assert isinstance(result, FxQuoteDTO)
            self._on_quote(result)
        elif task_id == self._confirm_task:
            self._confirm_task = None
            assert isinstance(result, FxDealDTO)
            self._on_deal(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        assert isinstance(error, errors.DomainError)
        if task_id in self._lookup_tasks:
            side = self._lookup_tasks.pop(task_id)
            self._info(side).setText(message_for(error))
        elif task_id in (self._quote_task, self._till_task):
            self._quote_task = self._till_task = None
            self._say(message_for(error), error=True)
        elif task_id == self._confirm_task:
            self._confirm_task = None  # the key stays: a retry of the same request is safe
            self._say(message_for(error), error=True)
            self._update_confirm()
            if isinstance(error, errors.FxRateChanged):
                self.requote()  # show the new figures; the teller confirms again

    def _on_quote(self, quote: FxQuoteDTO) -> None:
        try:
            req = self.build_request()
        except errors.DomainError:
            req = None
        if req != self._pending_request:
            return  # typed on since: a newer quote is on its way
        if self.keyed != req:
            self.key = f"fx-{uuid.uuid4().hex}"
            self.keyed = req
        self.quoted = req
        self._show_quote(quote)

    def _show_quote(self, quote: FxQuoteDTO | None) -> None:
        self.quote = quote
        if quote is None:
            self.quoted = None
        self.quote_panel.show_quote(quote)
        self._update_confirm()

    @Slot()
    def _update_confirm(self) -> None:
        ready = (self.quote is not None and self.key is not None
                 and self._confirm_task is None and allowed(self._actor, "fx.exchange")
                 and (not self.quote.stale or self.override.isChecked())
                 and (self.current_mode != COUNTER or self.till is not None))
        self.confirm_button.setEnabled(ready)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setProperty("level", "error" if error else "info")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- confirm, cancel ----------------------------------------------------------------------
    @Slot()
    def enter_pressed(self) -> None:
        if self.confirm_button.isEnabled():
            self.confirm()
        elif self._confirm_task is None:
            self._lookup_accounts()
            self.request_quote()

    @Slot()
    def confirm(self) -> None:
        """Post the quoted request with its key; ignored while a confirm is on its way."""
        if not self.confirm_button.isEnabled() or self._confirm_task is not None:
            return
        req, quote, key = self.quoted, self.quote, self.key
        assert req is not None and quote is not None and key is not None
        common = {"idempotency_key": key, "amount_minor": req.amount_minor,
                  "fee_minor": req.fee_minor, "override_stale": self.override.isChecked(),
                  "expected_counter_minor": quote.to_amount_minor}
        if req.mode == COUNTER:
            assert self.till is not None
            self._confirm_task = self._runner.run(
                fx_counter.exchange_at_counter, session_id=self.till.session_id,
                from_currency=req.from_currency,
                to_currency=req.to_currency, **common)
        else:
            self._confirm_task = self._runner.run(
                fx_exchange.exchange_between_accounts, from_account_id=req.from_account_id,
                to_account_id=req.to_account_id, **common)
        self._update_confirm()
        self._say(self.tr("Posting…"))

    def _on_deal(self, deal: FxDealDTO) -> None:
        self.deal = deal
        text = self.tr("Done: the customer gave %1 and received %2 (entry %3).") \
            .replace("%1", format_money(deal.from_amount_minor + deal.fee_minor,
                                        deal.from_currency)) \
            .replace("%2", format_money(deal.to_amount_minor, deal.to_currency)) \
            .replace("%3", deal.entry_reference)
        self.cancel()
        self._say(text)

    @Slot()
    def cancel(self) -> None:
        """Esc: clear the request and its key (a posting on its way still reports back)."""
        self._debounce.stop()
        for edit in (self.amount, self.fee, self.from_account, self.to_account):
            edit.clear()
        for info in (self.from_info, self.to_info):
            info.clear()
        self.accounts = {"from": None, "to": None}
        self.key = self.keyed = None
        self._quote_task = None
        self._show_quote(None)
        self._say("")
