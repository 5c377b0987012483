"""Sanctions hit review: the hits in a table; the selected one with the customer and the list
entry side by side, the explanation of the match, and the decision buttons.

Every decision goes to the services through the TaskRunner; the services check permissions and
the maker-checker rule, and a refusal is shown as its translated sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import limits
from core.errors import DomainError
from core.sanctions.dto import HitDetailDTO, HitDTO
from core.services import sanctions_review
from core.services.authz import allowed
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext, page_layout
from ui.screens.sanctions import explain
from ui.screens.sanctions.explain import STATUS_TITLES, percent, title_of
from ui.screens.sanctions.hits_table import (
    COLUMN_CHARS,
    COLUMNS,
    FILTER_LABELS,
    STATUS_FILTERS,
    HitsPage,
)
from ui.screens.sanctions.reason_dialog import ReasonDialog
from ui.table_model import ROW_ROLE, DtoTableModel
from ui.tasks import TaskRunner

_DONE = {  # (action, resulting status) -> the notice shown; %1 is the hit id
    ("true_match", "true_match"): QT_TRANSLATE_NOOP(
        "sanctions", "Hit %1 confirmed as a true match: the customer's accounts are frozen and "
        "a compliance case is open."),
    ("false_positive", "false_positive"): QT_TRANSLATE_NOOP(
        "sanctions", "Hit %1 cleared as a false positive."),
    ("false_positive", "pending_clear"): QT_TRANSLATE_NOOP(
        "sanctions", "Clearing hit %1 is requested: a second person must approve it."),
    ("approve", "false_positive"): QT_TRANSLATE_NOOP(
        "sanctions", "Clearing of hit %1 approved: it is a false positive."),
    ("reject", "open"): QT_TRANSLATE_NOOP(
        "sanctions", "Clearing of hit %1 rejected: the hit is open again."),
}


class HitsScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_sanctions_hits")
        self._shell = shell
        self._runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self.model: DtoTableModel[HitDTO] = DtoTableModel(
            COLUMNS, self._runner, key_of=lambda h: h.hit_id, page_rows=shell.page_rows,
            tr_context="sanctions", parent=self)
        self.detail: HitDetailDTO | None = None
        self._hit_id: int | None = None  # the hit shown (or being loaded) in the detail pane
        self._detail_task: int | None = None
        self._action_task: int | None = None
        self._action = ""
        self._failed = False
        self._build_ui()
        self.retranslate_ui()
        self.model.sig_page_loaded.connect(self._on_page_loaded)
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.model.sig_loading_changed.connect(self._on_loading_changed)
        self._runner.sig_task_finished.connect(self._on_task_finished)
        self._runner.sig_task_failed.connect(self._on_task_failed)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.true_match.clicked.connect(self._on_true_match)
        self.false_positive.clicked.connect(self._on_false_positive)
        self.approve.clicked.connect(self._on_approve)
        self.reject.clicked.connect(self._on_reject)
        self.refresh()

    # --- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.title = QLabel(objectName="screenTitle")
        self.info = QLabel(objectName="screenInfo")
        self.status_filter = QComboBox(objectName="hitsStatusFilter")
        for value in STATUS_FILTERS:
            self.status_filter.addItem("", value)
        layout = page_layout(self, self.title, beside_title=(self.status_filter,),
                             right=(self.info,))
        self.message = QLabel(objectName="screenMessage")
        self.notice = QLabel(objectName="screenNotice")
        for label in (self.message, self.notice):
            label.setWordWrap(True)
            label.hide()
            layout.addWidget(label)
        self.table = QTableView(objectName="hitsTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self._size_columns()
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="hitsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setSizes([300, 600])  # proportions: the detail is what the officer reads
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

    def _build_detail(self) -> QWidget:
        box = QWidget(objectName="hitDetail")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.headline = QLabel(objectName="hitHeadline")
        self.headline.setWordWrap(True)
        bar.addWidget(self.headline, 1)
        self.true_match = QPushButton(objectName="hitTrueMatch")
        self.false_positive = QPushButton(objectName="hitFalsePositive")
        self.approve = QPushButton(objectName="hitApproveClear")
        self.reject = QPushButton(objectName="hitRejectClear")
        for button in (self.true_match, self.false_positive, self.approve, self.reject):
            button.hide()
            bar.addWidget(button)
        layout.addLayout(bar)
        self.decision = QLabel(objectName="hitDecision")
        self.decision.setWordWrap(True)
        self.decision.hide()
        layout.addWidget(self.decision)
        panes = QSplitter(Qt.Orientation.Horizontal, objectName="hitPanes")
        self.compare = QTextBrowser(objectName="hitComparison")
        self.explanation = QTextBrowser(objectName="hitExplanation")
        for browser in (self.compare, self.explanation):
            browser.setOpenLinks(False)
            panes.addWidget(browser)
        panes.setSizes([550, 450])  # proportions: the comparison has the longer lines
        panes.setChildrenCollapsible(False)
        layout.addWidget(panes, 1)
        return box

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        char = self.table.fontMetrics().horizontalAdvance("0")
        for col, chars in enumerate(COLUMN_CHARS):
            if chars == 0:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, chars * char + 16)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Sanctions hits"))
        for row, source in enumerate(FILTER_LABELS):
            self.status_filter.setItemText(row, QCoreApplication.translate("sanctions", source))
        self.true_match.setText(self.tr("True match…"))
        self.true_match.setToolTip(self.tr("The customer is the listed party: freeze the "
                                           "customer's accounts and open a compliance case"))
        self.false_positive.setText(self.tr("False positive…"))
        self.false_positive.setToolTip(self.tr("The customer is not the listed party"))
        self.approve.setText(self.tr("Approve clearing"))
        self.reject.setText(self.tr("Reject clearing…"))
        if not allowed(self._shell.actor, "sanctions.approve"):
            for button in (self.approve, self.reject):
                button.setToolTip(self.tr("Needs the permission sanctions.approve"))
        self.model.retranslate()
        self._show_detail()
        self._update_info()

    # --- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._failed = False
        self.message.hide()
        status = self.status_filter.currentData()
        self.model.set_loader(HitsPage(self._shell.ctx, self._shell.actor, status))
        if self._hit_id is not None:
            self.load_hit(self._hit_id)

    @Slot(int)
    def _on_filter_changed(self, _row: int) -> None:
        self.notice.hide()
        self._hit_id, self.detail = None, None  # show the first hit of the new list
        self._show_detail()
        self.refresh()

    @Slot(int)
    def _on_page_loaded(self, _rows: int) -> None:
        rows = self.model.rows()
        ids = [h.hit_id for h in rows]
        if self._hit_id in ids:
            self.table.selectRow(ids.index(self._hit_id))
        elif self._hit_id is None and rows:
            self.table.selectRow(0)  # open on the first hit: the officer starts reading
        self._update_info()

    @Slot(object)
    def _on_load_failed(self, error: DomainError) -> None:
        self._failed = True
        self._show_error(error)
        self._update_info()

    @Slot(bool)
    def _on_loading_changed(self, _loading: bool) -> None:
        self._update_info()

    def _update_info(self) -> None:
        rows = self.model.rowCount()
        if self._failed and rows == 0:
            text = ""
        elif self.model.loading and rows == 0:
            text = self.tr("Loading…")
        elif rows == 0:
            text = self.tr("No hits with this status.")
        elif self.model.exhausted:
            text = self.tr("Hits shown: %n", "", rows)
        else:
            text = self.tr("Hits shown: %n (scroll for more)", "", rows)
        self.info.setText(text)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            hit = rows[0].data(ROW_ROLE)
            if hit.hit_id != self._hit_id or self.detail is None:
                self.load_hit(hit.hit_id)

    # --- the detail ---------------------------------------------------------------------------
    def load_hit(self, hit_id: int) -> None:
        self._hit_id = hit_id
        self._detail_task = self._runner.read(sanctions_review.get_hit, hit_id=hit_id)

    def _show_detail(self) -> None:
        d = self.detail
        buttons = (self.true_match, self.false_positive, self.approve, self.reject)
        if d is None:
            self.headline.setText(self.tr("Select a hit to review it."))
            self.compare.clear()
            self.explanation.clear()
            self.decision.hide()
            for button in buttons:
                button.hide()
            return
        hit = d.hit
        self.headline.setText(
            self.tr("Hit %1 · %2 · score %3").replace("%1", str(hit.hit_id))
            .replace("%2", title_of(STATUS_TITLES, hit.status)).replace("%3", percent(hit.score))
            + ("  " + self.tr("(strong hit: clearing needs a second person)")
               if hit.status == "open" and hit.score > limits.SANCTIONS_STRONG_HIT_SCORE
               else ""))
        self.compare.setHtml(explain.comparison_html(d))
        self.explanation.setHtml(explain.explanation_html(hit))
        decision = explain.decision_html(hit)
        self.decision.setText(decision)
        self.decision.setVisible(bool(decision))
        is_open, pending = hit.status == "open", hit.status == "pending_clear"
        may_approve = allowed(self._shell.actor, "sanctions.approve")
        busy = self._action_task is not None
        for button, shown, enabled in ((self.true_match, is_open, True),
                                       (self.false_positive, is_open, True),
                                       (self.approve, pending, may_approve),
                                       (self.reject, pending, may_approve)):
            button.setVisible(shown)
            button.setEnabled(enabled and not busy)

    # --- decisions ----------------------------------------------------------------------------
    def _ask(self, action: str, title: str, prompt: str, accept_text: str) -> None:
        if self.detail is None:
            return
        self._action = action
        dialog = ReasonDialog(self, title=title, prompt=prompt, accept_text=accept_text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_reason_given.connect(self._on_reason_given)
        dialog.open()

    @Slot()
    def _on_true_match(self) -> None:
        self._ask("true_match", self.tr("True match"),
                  self.tr("Why is hit %1 a true match? The customer's accounts will be frozen "
                          "and a compliance case opened.").replace("%1", str(self._hit_id)),
                  self.tr("Confirm true match"))

    @Slot()
    def _on_false_positive(self) -> None:
        self._ask("false_positive", self.tr("False positive"),
                  self.tr("Why is hit %1 not the listed party? The hit stays suppressed until "
                          "the customer or the list entry changes.")
                  .replace("%1", str(self._hit_id)),
                  self.tr("Clear as false positive"))

    @Slot()
    def _on_reject(self) -> None:
        self._ask("reject", self.tr("Reject clearing"),
                  self.tr("Why should hit %1 not be cleared? It goes back to the open hits.")
                  .replace("%1", str(self._hit_id)), self.tr("Reject clearing"))

    @Slot()
    def _on_approve(self) -> None:
        if self.detail is not None:
            self._action = "approve"
            self._start(self._runner.run(sanctions_review.approve_clear,
                                         hit_id=self.detail.hit.hit_id))

    @Slot(str)
    def _on_reason_given(self, reason: str) -> None:
        if self.detail is None:
            return
        hit_id = self.detail.hit.hit_id
        if self._action == "reject":
            task = self._runner.run(sanctions_review.reject_clear, hit_id=hit_id, reason=reason)
        else:
            task = self._runner.run(sanctions_review.decide_hit, hit_id=hit_id,
                                    decision=self._action, reason=reason)
        self._start(task)

    def _start(self, task: int) -> None:
        self._action_task = task
        self.message.hide()
        self.notice.hide()
        self._show_detail()

    # --- results ------------------------------------------------------------------------------
    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        if task_id == self._detail_task and isinstance(result, HitDetailDTO):
            self._detail_task = None
            self.detail = result
            self._show_detail()
        elif task_id == self._action_task and isinstance(result, HitDTO):
            self._action_task = None
            source = _DONE.get((self._action, result.status))
            if source:
                self.notice.setText(QCoreApplication.translate("sanctions", source)
                                    .replace("%1", str(result.hit_id)))
                self.notice.show()
            self.refresh()  # the list and the detail both show the new status

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, error: object) -> None:
        if task_id not in (self._detail_task, self._action_task):
            return
        assert isinstance(error, DomainError)
        if task_id == self._action_task:
            self._action_task = None
            self._show_detail()
        else:
            self._detail_task = None
        self._show_error(error)

    def _show_error(self, error: DomainError) -> None:
        self.notice.hide()
        self.message.setText(message_for(error))
        self.message.show()

