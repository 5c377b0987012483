"""TaskRunner: every database call of a screen runs here, off the GUI thread.

A task is a callable (normally `ctx.read(service, actor, **kw)`) run on a QThreadPool worker.
Its result or its DomainError comes back as a signal of the runner, a QObject living in the GUI
thread, so slots run in the GUI thread. Each task gets an increasing id: a screen keeps the id
of the request it is waiting for and ignores the results of older ones (stale results).
Faults that are not DomainErrors are logged with their traceback and reported to the screen as
UnexpectedFailure, a generic sentence with a log reference.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from core import errors, limits
from core.unit_of_work import Actor, CoreContext

log = logging.getLogger("cbs.ui.tasks")

_task_ids = itertools.count(1)  # shared by all runners: an id never repeats in one process


def make_pool(threads: int = limits.UI_WORKER_THREADS) -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(threads)
    return pool


class _Relay(QObject):
    """Created in the GUI thread; the worker emits on it, Qt queues the call to the runner."""

    sig_done = Signal(int, bool, object)  # task id, succeeded, result or DomainError


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except errors.DomainError as exc:
            self._relay.sig_done.emit(self._task_id, False, exc)
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("task=%d outcome=fault reference=%s", self._task_id, reference)
            self._relay.sig_done.emit(self._task_id, False,
                                      errors.UnexpectedFailure(reference=reference))
        else:
            self._relay.sig_done.emit(self._task_id, True, result)


class TaskRunner(QObject):
    """Runs a screen's service calls on a worker thread; results come back as signals."""

    sig_task_finished = Signal(int, object)  # task id, result
    sig_task_failed = Signal(int, object)  # task id, DomainError (UnexpectedFailure for faults)
    sig_busy_changed = Signal(bool)

    def __init__(self, ctx: CoreContext, actor: Actor, pool: QThreadPool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self._pool = pool
        self._relays: dict[int, _Relay] = {}

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Run fn(*args, **kwargs) on a worker; returns the task id."""
        task_id = next(_task_ids)
        relay = _Relay()
        relay.sig_done.connect(self._on_done)
        was_busy = self.busy
        self._relays[task_id] = relay

        def call() -> Any:
            return fn(*args, **kwargs)

        self._pool.start(_Job(task_id, call, relay))
        if not was_busy:
            self.sig_busy_changed.emit(True)
        return task_id

    def read(self, service: Callable[..., Any], **kwargs: Any) -> int:
        """A read-only use case as this runner's actor."""
        return self.submit(self.ctx.read, service, self.actor, **kwargs)

    def run(self, service: Callable[..., Any], **kwargs: Any) -> int:
        """A use case that writes, as this runner's actor (one transaction, retried)."""
        return self.submit(self.ctx.run, service, self.actor, **kwargs)

    @Slot(int, bool, object)
    def _on_done(self, task_id: int, ok: bool, payload: object) -> None:
        relay = self._relays.pop(task_id, None)
        if relay is not None:
            relay.deleteLater()  # destroyed in the GUI thread, its home, not in the worker
        if ok:
            self.sig_task_finished.emit(task_id, payload)
        else:
            self.sig_task_failed.emit(task_id, payload)
        if not self.busy:
            self.sig_busy_changed.emit(False)
