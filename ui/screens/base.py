"""What every screen gets from the shell, and what the shell expects of a screen."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QThreadPool
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

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


def page_layout(screen: QWidget, title: QWidget, *, beside_title: tuple[QWidget, ...] = (),
                right: tuple[QWidget, ...] = (), spacing: int | None = 10) -> QVBoxLayout:
    """The page every screen shares: its margins and a header row with the title on the left
    (then `beside_title`) and `right` pushed to the right edge. The caller adds the body."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(20, 16, 20, 12)
    if spacing is not None:
        layout.setSpacing(spacing)
    head = QHBoxLayout()
    head.addWidget(title)
    if beside_title:
        head.addSpacing(16)
    for widget in beside_title:
        head.addWidget(widget)
    head.addStretch(1)
    for widget in right:
        head.addWidget(widget)
    layout.addLayout(head)
    return layout
