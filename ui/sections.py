"""The sections of the navigation: each names the permission a user needs to see it.

Hiding a section is convenience, not security: the services check the same permissions.
A later screen adds one line to SECTIONS; its module is imported only when first opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.services.authz import allowed
from core.unit_of_work import Actor
from ui.screens.base import Screen, ShellContext

CONTEXT = "sections"


@dataclass(frozen=True)
class Section:
    key: str  # stable, used in object names ("actionGo_<key>", "screen_<key>")
    title: str  # English source text, translated in context "sections"
    permission: str  # what the actor needs to see the section
    screen: str  # "package.module:ScreenClass", constructed with the ShellContext

    def create(self, shell: ShellContext) -> Screen:
        module_name, _, class_name = self.screen.partition(":")
        screen = getattr(importlib.import_module(module_name), class_name)(shell)
        assert isinstance(screen, Screen), f"{self.screen} is not a Screen"
        return screen


ACCOUNTS_SCREEN = "ui.screens.accounts.accounts_screen:AccountsScreen"
FOREX_SCREEN = "ui.screens.forex.forex_screen:ForexScreen"
SANCTIONS_HITS_SCREEN = "ui.screens.sanctions.hits_screen:HitsScreen"
SANCTIONS_LISTS_SCREEN = "ui.screens.sanctions.lists_screen:ListsScreen"
ADMIN = "ui.screens.admin."

# Navigation order; Ctrl+1.. follow it among the sections the user may see.
SECTIONS: tuple[Section, ...] = (
    Section("accounts", QT_TRANSLATE_NOOP("sections", "Accounts"), "accounts.view",
            ACCOUNTS_SCREEN),
    Section("teller", QT_TRANSLATE_NOOP("sections", "Teller desk"), "teller.session",
            "ui.screens.teller.teller_screen:TellerScreen"),
    Section("teller_branch", QT_TRANSLATE_NOOP("sections", "Branch tills"),
            "teller.view_branch", "ui.screens.teller.branch_screen:BranchTillsScreen"),
    Section("forex", QT_TRANSLATE_NOOP("sections", "Foreign exchange"), "fx.view",
            FOREX_SCREEN),
    Section("sanctions_hits", QT_TRANSLATE_NOOP("sections", "Sanctions hits"),
            "sanctions.review", SANCTIONS_HITS_SCREEN),
    Section("sanctions_lists", QT_TRANSLATE_NOOP("sections", "Sanctions lists"),
            "sanctions.import", SANCTIONS_LISTS_SCREEN),
    # administration (issue 3)
    Section("inbox", QT_TRANSLATE_NOOP("sections", "Checker inbox"), "makerchecker.approve",
            ADMIN + "inbox_screen:InboxScreen"),
    Section("users", QT_TRANSLATE_NOOP("sections", "Users"), "users.view",
            ADMIN + "users_screen:UsersScreen"),
    Section("roles", QT_TRANSLATE_NOOP("sections", "Roles and permissions"), "roles.view",
            ADMIN + "roles_screen:RolesScreen"),
    Section("rules", QT_TRANSLATE_NOOP("sections", "Maker-checker rules"),
            "makerchecker.rules", ADMIN + "rules_screen:RulesScreen"),
    Section("audit", QT_TRANSLATE_NOOP("sections", "Audit log"), "audit.view",
            ADMIN + "audit_screen:AuditScreen"),
)


def default_sections() -> list[Section]:
    return list(SECTIONS)


def visible_sections(sections: Iterable[Section], actor: Actor) -> Sequence[Section]:
    return [s for s in sections if allowed(actor, s.permission)]
