"""Service calls of the teller widgets, each with its own callbacks, off the GUI thread.

A TaskRunner reports every task of its screen on two signals; Calls keeps, per task id, the
bound method to call back (in the GUI thread), so a widget with several kinds of requests
(search, account view, post, print) routes each answer to the right handler.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, QObject, Slot

from core import errors, money
from core.errors import DomainError
from ui.tasks import TaskRunner

Handler = Callable[[Any], None]


def new_key(tag: str) -> str:
    """An idempotency key made when a form is filled: a retry or double click reuses it."""
    return f"{tag}-{uuid.uuid4().hex}"


def parse_typed_amount(text: str, currency: str, locale: QLocale | None = None) -> int:
    """What the teller typed, in the locale's format ('1.234,50' in de_DE), to minor units."""
    loc = locale if locale is not None else QLocale()
    raw = (text or "").strip()
    canonical = raw
    group, point = loc.groupSeparator(), loc.decimalPoint()
    if point != ".":
        canonical = canonical.replace(".", "\0")  # a '.' is a group separator here
        canonical = canonical.replace(point, ".")
    for sep in {group, "\0", "\u00a0", "\u202f", " "} - {".", ""}:
        canonical = canonical.replace(sep, "")
    if point != ".":
        canonical = canonical.replace(",", "")
    try:
        return money.parse_amount(canonical, currency).amount_minor
    except errors.InvalidAmount:
        raise errors.InvalidAmount(text=raw) from None


class Calls(QObject):
    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._handlers: dict[int, tuple[Handler, Handler]] = {}
        runner.sig_task_finished.connect(self._on_finished)
        runner.sig_task_failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return bool(self._handlers)

    def submit(self, fn: Callable[..., Any], ok: Handler, failed: Handler, *args: Any,
               **kw: Any) -> int:
        task = self.runner.submit(fn, *args, **kw)
        self._handlers[task] = (ok, failed)
        return task

    def read(self, service: Callable[..., Any], ok: Handler, failed: Handler, **kw: Any) -> int:
        return self.submit(self.runner.ctx.read, ok, failed, service, self.runner.actor, **kw)

    def run(self, service: Callable[..., Any], ok: Handler, failed: Handler, **kw: Any) -> int:
        return self.submit(self.runner.ctx.run, ok, failed, service, self.runner.actor, **kw)

    @Slot(int, object)
    def _on_finished(self, task: int, result: object) -> None:
        handlers = self._handlers.pop(task, None)
        if handlers is not None:
            handlers[0](result)

    @Slot(int, object)
    def _on_failed(self, task: int, error: object) -> None:
        handlers = self._handlers.pop(task, None)
        if handlers is not None:
            assert isinstance(error, DomainError)
            handlers[1](error)
