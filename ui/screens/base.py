"""What every screen gets from the shell, and what the shell expects of a screen."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QThreadPool
from PySide6.QtWidgets import QWidget

from core import limits
from core.unit_of_work import Actor, CoreContext


@dataclass(frozen=True)
class ShellContext:
    """The core context, who is acting, and the worker pool shared by the window's screens."""

    ctx: CoreContext
    actor: Actor
    pool: QThreadPool
    page_rows: int = limits.UI_PAGE_ROWS


class Screen(QWidget):
    """A section's page in the main window: built in code, reloads its data on refresh()."""

    def refresh(self) -> None:
        """Reload from the database (F5)."""

    def retranslate_ui(self) -> None:
        """Set every visible text again (language change)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
