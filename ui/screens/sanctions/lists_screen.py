"""Sanctions lists: the list versions with their counts, the diff of the selected version, list
file import and the re-screen of all customers, both with a progress dialog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import DomainError
from core.sanctions.dto import VersionDiffDTO, VersionDTO
from core.services import sanctions_import
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_datetime
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext, page_layout
from ui.screens.sanctions import jobs
from ui.screens.sanctions.explain import LIST_TITLES, STATUS_TITLES, count_text, title_of
from ui.table_model import ALIGN_RIGHT, ROW_ROLE, Column, DtoTableModel
from ui.tasks import TaskRunner

MAX_DIFF_ROWS_SHOWN = 2_000  # per tab; a first import "adds" the whole list


def _count(value: Any, _row: VersionDTO) -> str:
    return count_text(int(value))


COLUMNS: tuple[Column[VersionDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("sanctions", "Version"), lambda v: v.version_id,
           alignment=ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "List"), lambda v: v.list_code,
           lambda c, _v: title_of(LIST_TITLES, c)),
    Column(QT_TRANSLATE_NOOP("sanctions", "Status"), lambda v: v.status,
           lambda s, _v: title_of(STATUS_TITLES, s), warn=lambda v: v.status == "rejected"),
    Column(QT_TRANSLATE_NOOP("sanctions", "Entries"), lambda v: v.entry_count, _count,
           ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "Added"), lambda v: v.added, _count, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "Removed"), lambda v: v.removed, _count, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "Changed"), lambda v: v.changed, _count, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "Imported"), lambda v: v.imported_at,
           lambda t, _v: format_datetime(t)),
    Column(QT_TRANSLATE_NOOP("sanctions", "By"), lambda v: v.imported_by),
)
_STAGES = {  # progress stage of the services -> label; %1 done, %2 total
    "store entries": QT_TRANSLATE_NOOP("sanctions", "Storing list entries: %1 of %2"),
    jobs.RESCREEN_STAGE: QT_TRANSLATE_NOOP("sanctions", "Re-screening customers: %1 of %2"),
}
_READING = QT_TRANSLATE_NOOP("sanctions", "Reading the list file: %1 entries")


@dataclass(frozen=True)
class VersionsPage:
    """All versions, newest first, in one page (list_versions is bounded by MAX_PAGE_ROWS)."""

    ctx: CoreContext
    actor: Actor

    def __call__(self, after: int | None, _limit: int) -> list[VersionDTO]:
        if after is not None:
            return []
        return self.ctx.read(sanctions_import.list_versions, self.actor)


class ListsScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_sanctions_lists")
        self._shell = shell
        self._runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self.model: DtoTableModel[VersionDTO] = DtoTableModel(
            COLUMNS, self._runner, key_of=lambda v: v.version_id, tr_context="sanctions",
            parent=self)
        self.diff: VersionDiffDTO | None = None
        self._version: VersionDTO | None = None
        self._select_version: int | None = None
        self._diff_task: int | None = None
        self._job_task: int | None = None
        self.relay = jobs.ProgressRelay(self)
        self.progress: QProgressDialog | None = None
        self._build_ui()
        self.retranslate_ui()
        self.model.sig_page_loaded.connect(self._on_page_loaded)
        self.model.sig_load_failed.connect(self._show_error)
        self.relay.sig_progress.connect(self._on_progress)
        self._runner.sig_task_finished.connect(self._on_task_finished)
        self._runner.sig_task_failed.connect(self._on_task_failed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.rescreen_button.clicked.connect(self._on_rescreen_clicked)
        self.refresh()

    # --- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.title = QLabel(objectName="screenTitle")
        self.import_button = QPushButton(objectName="listsImport")
        self.rescreen_button = QPushButton(objectName="listsRescreen")
        layout = page_layout(self, self.title, right=(self.import_button, self.rescreen_button))
        self.message = QLabel(objectName="screenMessage")
        self.notice = QLabel(objectName="screenNotice")
        for label in (self.message, self.notice):
            label.setWordWrap(True)
            label.hide()
            layout.addWidget(label)
        self.table = QTableView(objectName="versionsTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # fitted to the rows
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="listsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_diff())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

    def _build_diff(self) -> QWidget:
        box = QWidget(objectName="versionDiff")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        self.diff_title = QLabel(objectName="diffTitle")
        self.diff_title.setWordWrap(True)
        layout.addWidget(self.diff_title)
        self.diff_tabs = QTabWidget(objectName="diffTabs")
        self.diff_lists: dict[str, QListWidget] = {}
        for kind in ("added", "removed", "changed"):
            widget = QListWidget(objectName=f"diff_{kind}")
            widget.setAlternatingRowColors(True)
            self.diff_lists[kind] = widget
            self.diff_tabs.addTab(widget, "")
        layout.addWidget(self.diff_tabs, 1)
        return box

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Sanctions lists"))
        self.import_button.setText(self.tr("Import list file…"))
        self.import_button.setToolTip(self.tr("OFAC sdn.csv (alt.csv and add.csv beside it), "
                                              "UN or EU XML, or an internal watchlist CSV"))
        self.rescreen_button.setText(self.tr("Re-screen all customers"))
        self.model.retranslate()
        self._show_diff()

    # --- versions and diff --------------------------------------------------------------------
    def refresh(self) -> None:
        self.message.hide()
        self.model.set_loader(VersionsPage(self._shell.ctx, self._shell.actor), None)

    @Slot(int)
    def _on_page_loaded(self, _rows: int) -> None:
        # A few rows only: fit each column to its header and values (any language); the
        # last one stretches over the rest.
        for col in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(col)
        ids = [v.version_id for v in self.model.rows()]
        wanted = self._select_version or (self._version.version_id if self._version else None)
        if wanted in ids:
            self.table.selectRow(ids.index(wanted))
        elif ids:
            self.table.selectRow(0)
        self._select_version = None

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._version = rows[0].data(ROW_ROLE)
            assert self._version is not None
            self._diff_task = self._runner.read(sanctions_import.version_diff,
                                                version_id=self._version.version_id)

    def _show_diff(self) -> None:
        d, v = self.diff, self._version
        labels = (self.tr("Added (%1)"), self.tr("Removed (%1)"), self.tr("Changed (%1)"))
        if d is None or v is None or d.version_id != v.version_id:
            self.diff_title.setText(self.tr("Select a version to see what it changed."))
            for row, kind in enumerate(self.diff_lists):
                self.diff_lists[kind].clear()
                self.diff_tabs.setTabText(row, labels[row].replace("%1", "0"))
            return
        if d.previous_version_id is None:
            title = self.tr("Version %1 (%2): the first import, every entry is new.")
        else:
            title = self.tr("Version %1 (%2) compared with version %3.")
        self.diff_title.setText(title.replace("%1", str(d.version_id))
                                .replace("%2", title_of(LIST_TITLES, v.list_code))
                                .replace("%3", str(d.previous_version_id)))
        for row, (kind, ids) in enumerate((("added", d.added), ("removed", d.removed),
                                           ("changed", d.changed))):
            widget = self.diff_lists[kind]
            widget.clear()
            widget.addItems([f"{i}  ·  {d.names.get(i, '')}" for i in ids[:MAX_DIFF_ROWS_SHOWN]])
            if len(ids) > MAX_DIFF_ROWS_SHOWN:
                widget.addItem(self.tr("… and %1 more").replace(
                    "%1", str(len(ids) - MAX_DIFF_ROWS_SHOWN)))
            self.diff_tabs.setTabText(row, labels[row].replace("%1", count_text(len(ids))))

    # --- import and re-screen -----------------------------------------------------------------
    @Slot()
    def _on_import_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Import a sanctions list file"))
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Sanctions lists (*.csv *.xml)"), self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.import_files)
        dialog.open()

    @Slot(list)
    def import_files(self, files: list[str]) -> None:
        if files and self._job_task is None:
            self._start_job(self.tr("Importing %1").replace("%1", ", ".join(
                f.rsplit("/", 1)[-1] for f in files)), jobs.import_and_rescreen, files)

    @Slot()
    def _on_rescreen_clicked(self) -> None:
        if self._job_task is None:
            self._start_job(self.tr("Re-screening all customers"), jobs.rescreen)

    def _start_job(self, title: str, job: Any, *args: Any) -> None:
        self.message.hide()
        self.notice.hide()
        self.relay.reset()
        self.progress = QProgressDialog(self)
        self.progress.setObjectName("jobProgress")
        self.progress.setWindowTitle(title)
        self.progress.setLabelText(self.tr("Starting…"))
        self.progress.setCancelButtonText(self.tr("Stop"))
        self.progress.setRange(0, 0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.progress.setMinimumWidth(420)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.canceled.connect(self._on_stop)
        self.progress.show()
        for button in (self.import_button, self.rescreen_button):
            button.setEnabled(False)
        ctx, actor = self._shell.ctx, self._shell.actor
        self._job_task = self._runner.submit(job, ctx, actor, *args, self.relay)

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self.progress is None or self.relay.stop_requested:
            return
        if stage == "store entries" and done >= total:
            # the commit and the first re-screen step follow: no count to show until then
            self.progress.setLabelText(self.tr("Activating the new version…"))
            self.progress.setRange(0, 0)
            return
        source = _STAGES.get(stage, _READING)
        text = QCoreApplication.translate("sanctions", source)
        self.progress.setLabelText(text.replace("%1", count_text(done))
                                   .replace("%2", count_text(total)))
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(min(done, total))

    @Slot()
    def _on_stop(self) -> None:
        if self.progress is not None:
            self.relay.stop()
            self.progress.setLabelText(self.tr("Stopping after the current step…"))

    def _end_job(self) -> None:
        self._job_task = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        for button in (self.import_button, self.rescreen_button):
            button.setEnabled(True)

    def _job_notice(self, result: object) -> str:
        lines = []
        run = getattr(result, "run", None)
        if isinstance(result, jobs.ImportOutcome) and result.result is not None:
            r = result.result
            self._select_version = r.version_id
            lines.append(self.tr("%1: version %2 is active with %3 entries; %4 added, %5 removed, "
                                 "%6 changed.").replace("%1", title_of(LIST_TITLES, r.list_code))
                         .replace("%2", str(r.version_id)).replace("%3", count_text(r.entry_count))
                         .replace("%4", count_text(r.added)).replace("%5", count_text(r.removed))
                         .replace("%6", count_text(r.changed)))
        elif isinstance(result, jobs.ImportOutcome):
            lines.append(self.tr("Import stopped: nothing was imported; the previous version "
                                 "stays active."))
        if run is not None and getattr(result, "stopped", False):
            lines.append(self.tr("Re-screen stopped after %1 of %2 customers; start it again "
                                 "to continue.").replace("%1", count_text(run.processed))
                         .replace("%2", count_text(run.total_customers)))
        elif run is not None:
            lines.append(self.tr("Customers re-screened: %1; new hits to review: %2.")
                         .replace("%1", count_text(run.processed))
                         .replace("%2", count_text(run.hits_found)))
        return " ".join(lines)

    # --- results ------------------------------------------------------------------------------
    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        if task_id == self._diff_task and isinstance(result, VersionDiffDTO):
            self._diff_task = None
            self.diff = result
            self._show_diff()
        elif task_id == self._job_task:
            self._end_job()
            self.notice.setText(self._job_notice(result))
            self.notice.show()
            self.refresh()

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, error: object) -> None:
        if task_id not in (self._diff_task, self._job_task):
            return
        if task_id == self._job_task:
            self._end_job()
            self.refresh()  # a refused file shows as a rejected version
        else:
            self._diff_task = None
        assert isinstance(error, DomainError)
        self._show_error(error)

    @Slot(object)
    def _show_error(self, error: DomainError) -> None:
        self.notice.hide()
        self.message.setText(message_for(error))
        self.message.show()
