"""Maker-checker rules: which actions need a second person, optionally above an amount."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton

from core import errors, money
from core.dto import ApprovalRuleDTO
from core.services import makerchecker
from core.services.makerchecker_actions import ACTIONS
from ui.formatting import format_amount
from ui.messages import message_for
from ui.screens.admin.common import AdminScreen, make_table, size_columns
from ui.screens.base import ShellContext
from ui.table_model import Column, DtoTableModel


def _threshold(r: ApprovalRuleDTO) -> str:
    if r.threshold_minor is None or r.currency is None:
        return "every request"
    return f"from {format_amount(r.threshold_minor, r.currency)} {r.currency}"


COLUMNS: tuple[Column[ApprovalRuleDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("rules", "Action"), lambda r: r.action),
    Column(QT_TRANSLATE_NOOP("rules", "Applies to"), _threshold),
    Column(QT_TRANSLATE_NOOP("rules", "Enabled"), lambda r: "yes" if r.enabled else "no",
           warn=lambda r: not r.enabled),
)


class RulesScreen(AdminScreen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__(shell, "rules")
        self.rules: list[ApprovalRuleDTO] = []
        self.model: DtoTableModel[ApprovalRuleDTO] = DtoTableModel(
            COLUMNS, self.runner, key_of=lambda r: r.action, tr_context="rules", parent=self)
        self.table = make_table("rulesTable")
        self.table.setModel(self.model)
        size_columns(self.table, (26, 30, 8), 1)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.action = QComboBox(objectName="rulesAction")
        for name in sorted(ACTIONS):
            self.action.addItem(name, name)
        self.threshold = QLineEdit(objectName="rulesThreshold")
        self.currency = QLineEdit(objectName="rulesCurrency")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(70)
        self.enabled = QCheckBox(objectName="rulesEnabled")
        self.enabled.setChecked(True)
        self.save_button = QPushButton(objectName="rulesSave")
        for w in (self.action, self.threshold, self.currency, self.enabled, self.save_button):
            row.addWidget(w)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.retranslate_ui()
        self.save_button.clicked.connect(self.save)
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Maker-checker rules"))
        self.threshold.setPlaceholderText(self.tr("Threshold (empty: every request)"))
        self.currency.setPlaceholderText(self.tr("CCY"))
        self.enabled.setText(self.tr("&Enabled"))
        self.save_button.setText(self.tr("&Set rule"))
        self.model.retranslate()

    def refresh(self) -> None:
        # rules are few: one page, no keyset needed (the service returns all)
        self.model.set_loader(self._load, "")

    def _load(self, after: str, _limit: int) -> list[ApprovalRuleDTO]:
        if after:
            return []
        return list(self.shell.ctx.read(makerchecker.list_rules, self.shell.actor))

    @Slot(object)
    def _on_load_failed(self, error: errors.DomainError) -> None:
        self.show_error(message_for(error))

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        r = self.model.row_at(current.row())
        self.action.setCurrentIndex(self.action.findData(r.action))
        self.enabled.setChecked(r.enabled)
        self.currency.setText(r.currency or "")
        self.threshold.setText(money.format_minor(r.threshold_minor, r.currency)
                               if r.threshold_minor is not None and r.currency else "")

    @Slot()
    def save(self) -> None:
        text, currency = self.threshold.text().strip(), self.currency.text().strip().upper()
        threshold: int | None = None
        try:
            if text and not currency:
                raise errors.InvalidInput(field=self.tr("currency"),
                                          reason=self.tr("an amount threshold needs a currency"))
            if text:
                threshold = money.parse_amount(text, currency).amount_minor
        except errors.DomainError as exc:
            self.show_error(message_for(exc))
            return
        self.call(self._on_saved, makerchecker.set_rule, write=True,
                  action=self.action.currentData(), enabled=self.enabled.isChecked(),
                  threshold_minor=threshold, currency=currency or None)

    def _on_saved(self, rule: Any) -> None:
        self.show_notice(self.tr("Rule saved: %1").replace("%1", rule.action))
        self.refresh()
