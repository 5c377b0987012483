"""Long sanctions jobs for the lists screen, run on a TaskRunner worker: import a list file and
re-screen all customers. Progress reaches the GUI thread as signals of a ProgressRelay.

The relay is created in the GUI thread; the worker only emits on it, so Qt queues each report
to the screen's slot (a method of a QObject living in the GUI thread, never a lambda). A stop request is a flag the worker reads at the next progress report:
stopping an import aborts its transaction (nothing imported, the previous version stays active);
stopping a re-screen leaves the committed steps and the run resumable.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core import errors, limits
from core.sanctions.dto import ImportResultDTO, RunDTO
from core.sanctions.parsers.detect import detect
from core.services import sanctions_batch, sanctions_import
from core.unit_of_work import Actor, CoreContext

RESCREEN_STAGE = "re-screen customers"


class Stopped(errors.DomainError):
    """Raised in the worker at a progress report after the user asked to stop; a DomainError
    so the unit of work rolls back and logs it as a refusal, not as a fault. Never reaches the
    screen: the jobs below catch it."""

    code = "stopped_by_user"
    message = "Stopped at the user's request."


class ProgressRelay(QObject):
    sig_progress = Signal(str, int, int)  # stage, done, total (0: unknown)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def reset(self) -> None:
        """Before the next job (the relay lives as long as its screen)."""
        self._stop.clear()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def report(self, stage: str, done: int, total: int) -> None:
        """Called on the worker thread by the services' progress callbacks."""
        if self._stop.is_set():
            raise Stopped
        self.sig_progress.emit(stage, done, total)

    def report_run(self, run: RunDTO) -> None:
        self.report(RESCREEN_STAGE, run.processed, run.total_customers)


@dataclass(frozen=True)
class ImportOutcome:
    result: ImportResultDTO | None  # None: stopped before the import committed
    run: RunDTO | None  # the re-screen after the import (None: none ran)
    stopped: bool


@dataclass(frozen=True)
class RescreenOutcome:
    run: RunDTO | None
    stopped: bool


def _list_code_of(files: Sequence[str]) -> str | None:
    try:
        return detect(Path(files[0]))
    except (errors.DomainError, OSError):
        return None


def import_and_rescreen(ctx: CoreContext, actor: Actor, files: Sequence[str],
                        relay: ProgressRelay) -> ImportOutcome:
    """As `cbs sanctions import`: a refused file is recorded (then the refusal re-raised), and
    a new active version is followed by the re-screen of every customer."""
    try:
        result = ctx.run(sanctions_import.import_list, actor, files=list(files),
                         progress=relay.report)
    except Stopped:
        return ImportOutcome(None, None, True)
    except errors.DomainError as exc:
        if not isinstance(exc, errors.PermissionDenied):
            ctx.run(sanctions_import.record_rejection, actor, files=list(files),
                    list_code=_list_code_of(files), reason=exc.describe())
        raise
    if result.rescreen_run_id is None:
        return ImportOutcome(result, None, False)
    reason = f"{result.list_code} version {result.version_id} activated"
    outcome = rescreen(ctx, actor, relay, reason)
    return ImportOutcome(result, outcome.run, outcome.stopped)


def rescreen(ctx: CoreContext, actor: Actor, relay: ProgressRelay,
             reason: str = "manual re-screen",
             batch: int = limits.RESCREEN_BATCH_CUSTOMERS) -> RescreenOutcome:
    """Drive the re-screen run to its end, or stop after the step being committed."""
    last: list[RunDTO] = []

    def progress(run: RunDTO) -> None:
        last[:] = [run]
        relay.report_run(run)

    try:
        run = sanctions_batch.rescreen_all(ctx, actor, reason=reason, progress=progress,
                                           batch=batch)
    except Stopped:
        run_now = last[0] if last else None
        return RescreenOutcome(run_now, run_now is None or run_now.status == "running")
    return RescreenOutcome(run, False)
