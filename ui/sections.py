"""The sections of the navigation: each names the permission a user needs to see it.

Hiding a section is convenience, not security: the services check the same permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.services.authz import allowed
from core.unit_of_work import Actor
from ui.screens.base import Screen, ShellContext

CONTEXT = "sections"


@dataclass(frozen=True)
class Section:
    key: str  # stable, used in object names ("nav_<key>", "screen_<key>")
    title: str  # English source text, translated in context "sections"
    permission: str
    factory: Callable[[ShellContext], Screen]


def _accounts(shell: ShellContext) -> Screen:
    from ui.screens.accounts.accounts_screen import AccountsScreen

    return AccountsScreen(shell)


def default_sections() -> list[Section]:
    """Every section of the application in navigation order; later issues append theirs."""
    return [
        Section("accounts", QT_TRANSLATE_NOOP("sections", "Accounts"), "accounts.view",
                _accounts),
    ]


def visible_sections(sections: Iterable[Section], actor: Actor) -> Sequence[Section]:
    return [s for s in sections if allowed(actor, s.permission)]
