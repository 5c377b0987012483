"""One generic table model over frozen DTO rows, with keyset pagination through the TaskRunner.

A screen describes its columns (header, getter, formatter, alignment) and gives a page loader
`loader(after_key, limit) -> list[row]` that runs on a worker thread (normally a ctx.read of a
keyset service). The view asks for more rows through canFetchMore/fetchMore as the user scrolls;
each page is requested as a task, and the result of any request but the latest is ignored, so a
new search never mixes with the pages of the previous one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from core import limits
from core.errors import DomainError
from ui.tasks import TaskRunner

T = TypeVar("T")

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter

WARNING_COLOR = QColor("#d64541")  # legible on the light and the dark theme
RAW_ROLE = Qt.ItemDataRole.UserRole  # the getter's value, unformatted (sorting, tests)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole DTO of the row

PageLoader = Callable[[Any, int], Sequence[Any]]
AnyIndex = QModelIndex | QPersistentModelIndex


def _default_format(value: Any, _row: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column(Generic[T]):
    """header: English source text, translated in the model's context when shown."""

    header: str
    getter: Callable[[T], Any]
    formatter: Callable[[Any, T], str] = _default_format
    alignment: Qt.AlignmentFlag = ALIGN_LEFT
    tooltip: Callable[[T], str] | None = None
    warn: Callable[[T], bool] | None = None  # draw the cell in the warning colour (overdrawn)


class DtoTableModel(QAbstractTableModel, Generic[T]):
    sig_page_loaded = Signal(int)  # rows added by the page that just arrived
    sig_load_failed = Signal(object)  # DomainError
    sig_loading_changed = Signal(bool)

    def __init__(self, columns: Sequence[Column[T]], runner: TaskRunner, *,
                 key_of: Callable[[T], Any], page_rows: int = limits.UI_PAGE_ROWS,
                 tr_context: str = "columns", parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._runner = runner
        self._key_of = key_of
        self._page_rows = max(1, min(page_rows, limits.MAX_PAGE_ROWS))
        self._tr_context = tr_context
        self._rows: list[T] = []
        self._loader: PageLoader | None = None
        self._initial_key: Any = None
        self._task: int | None = None
        self._exhausted = True
        runner.sig_task_finished.connect(self._on_task_finished)
        runner.sig_task_failed.connect(self._on_task_failed)

    # --- loading ------------------------------------------------------------------------------
    def set_loader(self, loader: PageLoader, initial_key: Any = 0) -> None:
        """Start over with another query: drop the rows, forget pending pages, load page one."""
        self.beginResetModel()
        self._rows = []
        self._loader = loader
        self._initial_key = initial_key
        self._exhausted = False
        self._set_task(None)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        if self._loader is not None:
            self.set_loader(self._loader, self._initial_key)

    @property
    def loading(self) -> bool:
        return self._task is not None

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and self._loader is not None and not self._exhausted
                and self._task is None)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._loader is not None
        after = self._key_of(self._rows[-1]) if self._rows else self._initial_key
        self._set_task(self._runner.submit(self._loader, after, self._page_rows))

    def _set_task(self, task: int | None) -> None:
        was_loading = self._task is not None
        self._task = task
        if was_loading != (task is not None):
            self.sig_loading_changed.emit(task is not None)

    @Slot(int, object)
    def _on_task_finished(self, task_id: int, rows: object) -> None:
        if task_id != self._task:
            return  # a page of an older query, or another task of the same runner
        page = list(rows)  # type: ignore[call-overload]
        self._exhausted = len(page) < self._page_rows
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self._set_task(None)
        self.sig_page_loaded.emit(len(page))

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        self._exhausted = True  # no automatic retry loop: the screen offers refresh
        self._set_task(None)
        assert isinstance(error, DomainError)
        self.sig_load_failed.emit(error)

    # --- rows ---------------------------------------------------------------------------------
    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rows(self) -> tuple[T, ...]:
        return tuple(self._rows)

    def retranslate(self) -> None:
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    # --- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.formatter(col.getter(row), row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.alignment.value)
        if role == Qt.ItemDataRole.ForegroundRole and col.warn is not None and col.warn(row):
            return WARNING_COLOR
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == RAW_ROLE:
            return col.getter(row)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self._tr_context, col.header)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.alignment.value)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)
