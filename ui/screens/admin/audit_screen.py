"""Audit log viewer: filters (user, dates, entity, action), keyset pages newest first, the
selected event's before/after payload, chain status with "Verify now", export to CSV or PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
)

from core import limits
from core.dto import AuditEventDTO, ChainStatusDTO
from core.errors import DomainError
from core.services import audit_trail
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.messages import message_for
from ui.screens.admin.audit_export import ExportTask
from ui.screens.admin.common import AdminScreen, make_table, size_columns
from ui.screens.base import ShellContext
from ui.table_model import Column, DtoTableModel

NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "any"

COLUMNS: tuple[Column[AuditEventDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("audit", "#"), lambda e: e.event_id),
    Column(QT_TRANSLATE_NOOP("audit", "Time (UTC)"),
           lambda e: e.occurred_at.strftime("%Y-%m-%d %H:%M:%S")),
    Column(QT_TRANSLATE_NOOP("audit", "User"), lambda e: e.actor),
    Column(QT_TRANSLATE_NOOP("audit", "Action"), lambda e: e.action),
    Column(QT_TRANSLATE_NOOP("audit", "Record"), lambda e: f"{e.entity_type} {e.entity_id}"),
    Column(QT_TRANSLATE_NOOP("audit", "Outcome"), lambda e: e.outcome,
           warn=lambda e: e.outcome != "ok"),
    Column(QT_TRANSLATE_NOOP("audit", "Workstation"), lambda e: e.workstation),
)


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class AuditPage:
    ctx: CoreContext
    actor: Actor
    where: AuditFilter

    def __call__(self, before_id: int | None, limit: int) -> list[AuditEventDTO]:
        w = self.where
        page = self.ctx.read(audit_trail.query_events, self.actor, user=w.user,
                             date_from=w.date_from, date_to=w.date_to,
                             entity_type=w.entity_type, entity_id=w.entity_id, action=w.action,
                             before_id=before_id, limit=limit)
        return list(page.rows)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), UTC)


def describe_chains(chains: list[ChainStatusDTO], verified: bool) -> tuple[str, bool]:
    """(the sentence, whether every chain is intact)."""
    events = sum(c.events_checked for c in chains)
    bad = [c for c in chains if c.problem is not None]
    if bad:
        p = bad[0].problem
        assert p is not None
        return (f"BROKEN: {len(bad)} of {len(chains)} chains. First: chain {p.chain_id}, "
                f"seq {p.seq if p.seq is not None else '-'}, event "
                f"{p.event_id if p.event_id is not None else '-'}: {p.problem}", False)
    if verified:
        return f"Verified now: {len(chains)} chains intact, {events} events re-hashed.", True
    return (f"{len(chains)} chains, {events} events (press Verify now to re-hash them).", True)


class AuditScreen(AdminScreen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__(shell, "audit")
        self.model: DtoTableModel[AuditEventDTO] = DtoTableModel(
            COLUMNS, self.runner, key_of=lambda e: e.event_id, page_rows=shell.page_rows,
            tr_context="audit", parent=self)
        self.chain_ok: bool | None = None
        self._build_ui()
        self.retranslate_ui()
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.model.sig_page_loaded.connect(self._on_page_loaded)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        for edit in (self.user, self.entity_type, self.entity_id, self.action):
            edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear_filters)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.ask_export)
        self.refresh()

    def _build_ui(self) -> None:
        grid = QGridLayout()
        self.user, self.entity_type = QLineEdit(objectName="auditUser"), QLineEdit(
            objectName="auditEntityType")
        self.entity_id, self.action = QLineEdit(objectName="auditEntityId"), QLineEdit(
            objectName="auditAction")
        for edit in (self.user, self.entity_type, self.entity_id, self.action):
            edit.setMaxLength(limits.MAX_SEARCH_CHARS)
        self.date_from, self.date_to = QDateEdit(objectName="auditFrom"), QDateEdit(
            objectName="auditTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("—")
            edit.setDate(NO_DATE)
        self.labels = [QLabel() for _ in range(6)]
        widgets = (self.user, self.date_from, self.date_to, self.entity_type, self.entity_id,
                   self.action)
        for n, (label, widget) in enumerate(zip(self.labels, widgets, strict=True)):
            grid.addWidget(label, n // 3, (n % 3) * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, n // 3, (n % 3) * 2 + 1)
        self.search_button = QPushButton(objectName="auditSearch")
        self.clear_button = QPushButton(objectName="auditClear")
        grid.addWidget(self.search_button, 0, 6)
        grid.addWidget(self.clear_button, 1, 6)
        self.layout_.addLayout(grid)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = make_table("auditTable")
        self.table.setModel(self.model)
        size_columns(self.table, (6, 19, 16, 26, 20, 8, 12), 4)
        self.detail = QPlainTextEdit(objectName="auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr(
            "Select an event to see who did what, and its values before and after."))
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([400, 160])
        self.layout_.addWidget(split, 1)
        row = QHBoxLayout()
        self.chain = QLabel(objectName="auditChain")
        self.chain.setWordWrap(True)
        self.verify_button = QPushButton(objectName="auditVerify")
        self.export_button = QPushButton(objectName="auditExport")
        self.export_button.setVisible(allowed(self.shell.actor, "audit.export"))
        self.info = QLabel(objectName="screenInfo")
        row.addWidget(self.chain, 1)
        row.addWidget(self.info)
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        self.layout_.addLayout(row)
        self.export_dialog: QFileDialog | None = None
        self._export_path: Path | None = None

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Audit log"))
        texts = (self.tr("User"), self.tr("From"), self.tr("To (inclusive)"),
                 self.tr("Record type"), self.tr("Record id"), self.tr("Action"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.action.setPlaceholderText(self.tr("users.create, or users. for all"))
        self.search_button.setText(self.tr("&Search"))
        self.clear_button.setText(self.tr("C&lear"))
        self.verify_button.setText(self.tr("&Verify now"))
        self.export_button.setText(self.tr("&Export…"))
        self.model.retranslate()

    # --- filters and pages --------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        start = self.date_from.date()
        end = self.date_to.date()
        return AuditFilter(
            user=text(self.user),
            date_from=_day_start(start.toPython()) if start != NO_DATE else None,  # type: ignore[arg-type]
            date_to=_day_start(end.toPython() + timedelta(days=1))  # type: ignore[operator]
            if end != NO_DATE else None,
            entity_type=text(self.entity_type), entity_id=text(self.entity_id),
            action=text(self.action))

    def refresh(self) -> None:
        self.search()
        self.call(self._on_chains, audit_trail.chain_status)

    @Slot()
    def search(self) -> None:
        self.show_error("")
        self.detail.clear()
        self.model.set_loader(AuditPage(self.shell.ctx, self.shell.actor,
                                        self.current_filter()), None)

    @Slot()
    def clear_filters(self) -> None:
        for edit in (self.user, self.entity_type, self.entity_id, self.action):
            edit.clear()
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        self.search()

    @Slot(object)
    def _on_load_failed(self, error: DomainError) -> None:
        self.show_error(message_for(error))

    @Slot(int)
    def _on_page_loaded(self, _rows: int) -> None:
        n = self.model.rowCount()
        self.info.setText(self.tr("Events shown: %1").replace("%1", str(n)) + (
            "" if self.model.exhausted else self.tr(" (scroll for more)")))

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        e = self.model.row_at(current.row())
        try:
            payload = json.dumps(json.loads(e.payload), indent=2, sort_keys=True)
        except ValueError:
            payload = e.payload
        self.detail.setPlainText(
            f"#{e.event_id}  {e.occurred_at:%Y-%m-%d %H:%M:%S} UTC  {e.actor} @ {e.workstation}\n"
            f"{e.action} on {e.entity_type} {e.entity_id}: {e.outcome}  "
            f"(chain {e.chain_id}, seq {e.seq})\n\n{payload}")

    # --- chain status -------------------------------------------------------------------------
    @Slot()
    def verify(self) -> None:
        self.chain.setText(self.tr("Verifying…"))
        self.verify_button.setEnabled(False)
        self.call(self._on_verified, audit_trail.verify_chains)

    def _on_chains(self, chains: Any) -> None:
        self._show_chains(list(chains), verified=False)

    def _on_verified(self, chains: Any) -> None:
        self.verify_button.setEnabled(True)
        self._show_chains(list(chains), verified=True)

    def _show_chains(self, chains: list[ChainStatusDTO], *, verified: bool) -> None:
        text, ok = describe_chains(chains, verified)
        self.chain_ok = ok
        self.chain.setText(text)
        self.chain.setProperty("state", "ok" if ok else "broken")
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)

    # --- export -------------------------------------------------------------------------------
    @Slot()
    def ask_export(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Export the audit trail"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("CSV (*.csv)"), self.tr("PDF (*.pdf)")])
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(self._on_file_selected)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    @Slot(str)
    def _on_file_selected(self, name: str) -> None:
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> int:
        """Export the events of the date filter (every event when no dates are set)."""
        w = self.current_filter()
        self.show_notice(self.tr("Exporting…"))
        self._export_path = path
        return self.submit(self._on_exported, ExportTask(self.shell.ctx, self.shell.actor, path,
                                                         w.date_from, w.date_to))

    def _on_exported(self, rows: Any) -> None:
        self.show_notice(self.tr("%1 events written to %2").replace("%1", str(rows))
                         .replace("%2", str(self._export_path)))
