"""The generic DTO table model: Qt's model checks, keyset pages, stale results ignored."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, Qt

from core import errors
from ui.table_model import ALIGN_RIGHT, RAW_ROLE, ROW_ROLE, Column, DtoTableModel
from ui.tasks import TaskRunner, make_pool


@dataclass(frozen=True)
class Row:
    row_id: int
    name: str
    amount_minor: int


ROWS = [Row(i, f"row {i}", i * 150) for i in range(1, 24)]  # 23 rows: pages of 5, 5, 5, 5, 3
COLUMNS = (
    Column("Id", lambda r: r.row_id),
    Column("Name", lambda r: r.name),
    Column("Amount", lambda r: r.amount_minor, lambda v, r: f"{v / 100:.2f}", ALIGN_RIGHT),
)


@dataclass(frozen=True)
class Loader:
    rows: tuple[Row, ...]
    gate: threading.Event | None = None

    def __call__(self, after_id: int, limit: int) -> list[Row]:
        if self.gate is not None:
            self.gate.wait(5)
        return [r for r in self.rows if r.row_id > after_id][:limit]


@pytest.fixture
def model(qtbot):
    pool = make_pool()
    runner = TaskRunner(None, None, pool)  # type: ignore[arg-type]
    model = DtoTableModel(COLUMNS, runner, key_of=lambda r: r.row_id, page_rows=5)
    yield model
    pool.waitForDone(5_000)


def _settle(qtbot, model) -> None:
    qtbot.waitUntil(lambda: not model.loading, timeout=5_000)


def test_model_passes_qt_checks_through_every_page(qtbot, qtmodeltester, model):
    model.set_loader(Loader(tuple(ROWS)))
    _settle(qtbot, model)
    qtmodeltester.check(model)  # Qt's tester stays attached for the pages that follow
    for _ in range(10):  # the tester itself may have asked for the next page
        _settle(qtbot, model)
        if not model.canFetchMore(QModelIndex()):
            break
        model.fetchMore(QModelIndex())
    assert [r.row_id for r in model.rows()] == [r.row_id for r in ROWS]
    assert model.exhausted and not model.canFetchMore(QModelIndex())


def test_pages_arrive_one_at_a_time_in_key_order(qtbot, model):
    model.set_loader(Loader(tuple(ROWS)))
    _settle(qtbot, model)
    assert model.rowCount() == 5 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    _settle(qtbot, model)
    assert model.rowCount() == 10
    assert model.row_at(9) == ROWS[9]


def test_cells_show_formatted_text_raw_value_and_alignment(qtbot, model):
    model.set_loader(Loader(tuple(ROWS)))
    _settle(qtbot, model)
    idx = model.index(1, 2)
    assert model.data(idx) == "3.00"
    assert model.data(idx, RAW_ROLE) == 300
    assert model.data(idx, ROW_ROLE) == ROWS[1]
    assert model.data(idx, Qt.ItemDataRole.TextAlignmentRole) == int(ALIGN_RIGHT.value)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Amount"


def test_a_new_query_ignores_the_late_pages_of_the_old_one(qtbot, model):
    gate = threading.Event()
    model.set_loader(Loader(tuple(ROWS), gate))  # held back until the new query has answered
    newer = tuple(r for r in ROWS if r.row_id % 2 == 0)
    model.set_loader(Loader(newer))
    _settle(qtbot, model)
    gate.set()
    qtbot.waitUntil(lambda: not model._runner.busy, timeout=5_000)
    assert [r.row_id for r in model.rows()] == [2, 4, 6, 8, 10]


def test_a_failed_page_is_reported_and_not_retried(qtbot, model):
    def refuse(after_id: int, limit: int) -> list[Row]:
        raise errors.PermissionDenied(user="clerk", action="accounts.view")

    with qtbot.waitSignal(model.sig_load_failed, timeout=5_000) as blocker:
        model.set_loader(refuse)
    assert isinstance(blocker.args[0], errors.PermissionDenied)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
