"""TaskRunner: work runs off the GUI thread; results and refusals come back as signals."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread

from core import errors
from ui.tasks import TaskRunner, make_pool


@pytest.fixture
def runner(qtbot):
    pool = make_pool()
    runner = TaskRunner(None, None, pool)  # type: ignore[arg-type] - submit() needs no context
    yield runner
    pool.waitForDone(5_000)


def _thread_name() -> str:
    return threading.current_thread().name


def test_result_comes_back_in_the_gui_thread(qtbot, runner):
    received: list[tuple[int, object, bool]] = []

    def on_finished(task_id: int, result: object) -> None:
        received.append((task_id, result, QThread.currentThread().isMainThread()))

    runner.sig_task_finished.connect(on_finished)
    with qtbot.waitSignal(runner.sig_task_finished, timeout=5_000):
        task_id = runner.submit(_thread_name)
    assert received[0][0] == task_id
    assert received[0][1] != threading.current_thread().name  # it ran on a worker
    assert received[0][2] is True  # the slot ran in the GUI thread
    assert not runner.busy


def test_domain_error_comes_back_as_itself(qtbot, runner):
    def refuse() -> None:
        raise errors.UnknownAccount(account="123")

    with qtbot.waitSignal(runner.sig_task_failed, timeout=5_000) as blocker:
        task_id = runner.submit(refuse)
    got_id, error = blocker.args
    assert got_id == task_id
    assert isinstance(error, errors.UnknownAccount) and error.params == {"account": "123"}


def test_a_fault_is_logged_and_reported_without_traceback(qtbot, runner, caplog):
    def crash() -> None:
        raise RuntimeError("disk on fire")

    with caplog.at_level(logging.ERROR, logger="cbs.ui.tasks"), \
            qtbot.waitSignal(runner.sig_task_failed, timeout=5_000) as blocker:
        runner.submit(crash)
    error = blocker.args[1]
    assert isinstance(error, errors.UnexpectedFailure)
    reference = error.params["reference"]
    assert "disk on fire" not in error.describe() and "Traceback" not in error.describe()
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback is in the log


def test_task_ids_increase_and_busy_follows_the_work(qtbot, runner):
    gate = threading.Event()
    busy_changes: list[bool] = []
    runner.sig_busy_changed.connect(busy_changes.append)
    first = runner.submit(gate.wait, 5)
    second = runner.submit(gate.wait, 5)
    assert second > first
    assert runner.busy
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert busy_changes == [True, False]
