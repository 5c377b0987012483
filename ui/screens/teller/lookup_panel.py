"""Customer and account lookup: search as you type (debounced, off the GUI thread), the hits,
and the account view a teller checks before paying out (balances, holds, photo, signature,
warnings)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import limits
from core.dto import AccountDTO
from core.errors import DomainError
from core.services.teller import lookup
from core.services.teller.dto import AccountViewDTO, CustomerHitDTO, SearchResultDTO
from ui.formatting import format_money
from ui.messages import message_for
from ui.screens.teller.calls import Calls

WARNINGS = {
    "frozen": QT_TRANSLATE_NOOP("teller", "Account frozen: no transaction allowed"),
    "dormant": QT_TRANSLATE_NOOP("teller", "Account dormant: no money may leave it"),
    "closed": QT_TRANSLATE_NOOP("teller", "Account closed"),
    "kyc_expired": QT_TRANSLATE_NOOP("teller", "KYC expired: renew the customer's documents"),
    "kyc_missing": QT_TRANSLATE_NOOP("teller", "No KYC review on file"),
}
MATCHED = {"name": QT_TRANSLATE_NOOP("teller", "name"),
           "account": QT_TRANSLATE_NOOP("teller", "account"),
           "phone": QT_TRANSLATE_NOOP("teller", "phone"),
           "id": QT_TRANSLATE_NOOP("teller", "ID number")}
PICTURE_PX = 120


def _tr(text: str) -> str:
    return QCoreApplication.translate("teller", text)


class LookupPanel(QWidget):
    sig_account_chosen = Signal(object)  # AccountViewDTO

    def __init__(self, calls: Calls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calls = calls
        self._search_seq = 0
        self._focus_results = False
        self._matched_number: str | None = None
        self._view: AccountViewDTO | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(limits.UI_SEARCH_DEBOUNCE_MS)
        self._build_ui()
        self._debounce.timeout.connect(self._search_now)
        self.search.textEdited.connect(self._on_edited)
        self.search.returnPressed.connect(self._on_return)
        self.results.itemActivated.connect(self._on_hit)
        self.accounts.activated.connect(self._on_account_picked)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(objectName="tellerSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(limits.MAX_SEARCH_CHARS)
        layout.addWidget(self.search)
        self.results = QListWidget(objectName="tellerResults")
        self.results.setMinimumHeight(110)
        self.results.setAlternatingRowColors(True)
        layout.addWidget(self.results, 1)
        self.info = QLabel(objectName="screenInfo")
        self.info.setWordWrap(True)
        self.info.setText(self.tr("Type at least two letters or digits; Enter jumps to the "
                                  "results, Enter again takes the customer."))
        layout.addWidget(self.info)
        card = QFrame(objectName="tellerAccountCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        form = self._form = QFormLayout(card)
        self.accounts = QComboBox(objectName="tellerAccounts")
        self.customer = QLabel(objectName="tellerCustomer")
        self.status = QLabel(objectName="tellerStatus")
        self.ledger = QLabel(objectName="tellerLedger")
        self.available = QLabel(objectName="tellerAvailable")
        self.holds = QLabel(objectName="tellerHolds")
        self.holds.setWordWrap(True)
        for w in (self.ledger, self.available):
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(QLabel(), self.accounts)
        form.addRow(QLabel(), self.customer)
        form.addRow(QLabel(), self.status)
        form.addRow(QLabel(), self.ledger)
        form.addRow(QLabel(), self.available)
        form.addRow(QLabel(), self.holds)
        self.warnings = QLabel(objectName="tellerWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #d64541; font-weight: bold;")
        form.addRow(self.warnings)
        pictures = QHBoxLayout()
        self.photo = QLabel(objectName="tellerPhoto")
        self.signature = QLabel(objectName="tellerSignature")
        for pic in (self.photo, self.signature):
            pic.setFixedHeight(PICTURE_PX)
            pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pictures.addWidget(pic)
        form.addRow(pictures)
        layout.addWidget(card, 0)
        self.clear_view()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(self.tr("Name, account number, phone or ID number"))
        for field, text in ((self.accounts, self.tr("Account")),
                            (self.customer, self.tr("Customer")),
                            (self.status, self.tr("Status")),
                            (self.ledger, self.tr("Ledger balance")),
                            (self.available, self.tr("Available")),
                            (self.holds, self.tr("Holds"))):
            label = self._form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)

    # --- search -------------------------------------------------------------------------------
    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        self._debounce.start()

    @Slot()
    def _on_return(self) -> None:
        self._search_now(focus_results=True)

    def _search_now(self, focus_results: bool = False) -> None:
        self._debounce.stop()
        self._focus_results = focus_results
        query = " ".join(self.search.text().split())
        self._search_seq += 1  # answers to older keystrokes are dropped when they arrive
        self._calls.read(lookup.search_customers, partial(self._on_results, self._search_seq),
                         self._on_failed, query=query, limit=limits.MAX_SEARCH_ROWS)

    def _on_results(self, seq: int, result: SearchResultDTO) -> None:
        if seq != self._search_seq:
            return
        self.results.clear()
        for hit in result.hits:
            item = QListWidgetItem(self._hit_text(hit))
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        self.info.setText(self.tr("Customers found: %n", "", len(result.hits))
                          + ("+" if result.next_cursor else ""))
        if self.results.count():
            self.results.setCurrentRow(0)
            if self._focus_results:
                self.results.setFocus()

    @staticmethod
    def _hit_text(hit: CustomerHitDTO) -> str:
        if hit.matched_on == "name":
            detail = " · ".join(x for x in (hit.customer_no, hit.phone) if x)
        else:
            extra = hit.account_number or hit.phone or hit.national_id or ""
            how = _tr(MATCHED.get(hit.matched_on, hit.matched_on))
            detail = f"{hit.customer_no} · {how} {extra}"
        return f"{hit.full_name}\n    {detail}"

    def _on_failed(self, error: DomainError) -> None:
        self.info.setText(message_for(error))

    # --- account view -------------------------------------------------------------------------
    @Slot(QListWidgetItem)
    def _on_hit(self, item: QListWidgetItem) -> None:
        hit: CustomerHitDTO = item.data(Qt.ItemDataRole.UserRole)
        self._matched_number = hit.account_number
        self._calls.read(lookup.customer_accounts, self._on_accounts, self._on_failed,
                         customer_id=hit.customer_id)

    def _on_accounts(self, found: list[AccountDTO]) -> None:
        self.accounts.clear()
        pick = 0
        for row, acc in enumerate(found):
            self.accounts.addItem(self._account_text(acc), acc.account_id)
            if acc.number == self._matched_number:
                pick = row
        if found:
            self.accounts.setCurrentIndex(pick)
            self._load_view(found[pick].account_id)
        else:
            self.info.setText(self.tr("This customer has no account."))

    @staticmethod
    def _account_text(acc: AccountDTO) -> str:
        return f"{acc.number}  {acc.currency}"

    @Slot(int)
    def _on_account_picked(self, row: int) -> None:
        self._load_view(int(self.accounts.itemData(row)))

    def _load_view(self, account_id: int, announce: bool = True) -> None:
        self._calls.read(lookup.account_view, partial(self._on_view, announce),
                         self._on_failed, account_id=account_id)

    def show_account(self, account_id: int) -> None:
        """Refresh the card after a transaction (new balances) without taking the keyboard
        from whatever the teller is typing next."""
        self._load_view(account_id, announce=False)

    def _on_view(self, announce: bool, view: AccountViewDTO) -> None:
        shown = self._view.account.account_id if self._view is not None else None
        if not announce and shown != view.account.account_id:
            return  # the teller moved on to another account meanwhile
        self._view = view
        acc = view.account
        if self.accounts.findData(acc.account_id) < 0:
            self.accounts.addItem(self._account_text(acc), acc.account_id)
        self.accounts.setCurrentIndex(self.accounts.findData(acc.account_id))
        self.customer.setText(view.customer.full_name if view.customer else acc.name)
        self.status.setText(acc.status)
        self.ledger.setText(format_money(acc.ledger_balance_minor, acc.currency))
        self.available.setText(format_money(acc.available_minor, acc.currency))
        self.holds.setText("; ".join(f"{format_money(h.amount_minor, acc.currency)} {h.reason}"
                                     for h in view.holds) or self.tr("none"))
        self.warnings.setText("\n".join(_tr(WARNINGS.get(w, w)) for w in view.warnings))
        self.warnings.setVisible(bool(view.warnings))
        self._picture(self.photo, view.photo, self.tr("No photo"))
        self._picture(self.signature, view.signature, self.tr("No specimen signature"))
        if announce:
            self.sig_account_chosen.emit(view)

    @staticmethod
    def _picture(label: QLabel, data: bytes | None, missing: str) -> None:
        pix = QPixmap()
        if data and pix.loadFromData(data):
            label.setPixmap(pix.scaled(PICTURE_PX * 2, PICTURE_PX,
                                       Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        else:
            label.setPixmap(QPixmap())
            label.setText(missing)

    def clear_view(self) -> None:
        self._view = None
        for w in (self.customer, self.status, self.ledger, self.available, self.holds):
            w.setText("—")
        self.warnings.hide()
        self.photo.setText("")
        self.signature.setText("")

    @property
    def view(self) -> AccountViewDTO | None:
        return self._view
