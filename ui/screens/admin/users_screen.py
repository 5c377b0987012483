"""Users: the list, and create, disable/enable, reset password, unlock, change role and branch.

Changes that a maker-checker rule covers are turned into approval requests (the service
refuses the direct call with approval_required) and shown as pending on the selected user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from core import errors
from core.dto import ApprovalRequestDTO, BranchDTO, UserDTO
from core.rules.permissions import ROLES
from core.services import identity, makerchecker, setup
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_date
from ui.screens.admin.common import AdminScreen, Field, FormDialog, make_table, size_columns
from ui.screens.base import ShellContext
from ui.table_model import Column, DtoTableModel


def _state(u: UserDTO) -> str:
    parts = ["active" if u.active else "disabled"]
    if u.locked_until is not None:
        parts.append(f"locked until {u.locked_until:%Y-%m-%d %H:%M} UTC")
    if u.must_change_password:
        parts.append("must change password")
    return ", ".join(parts)


def columns(branch_code: Callable[[int | None], str]) -> tuple[Column[UserDTO], ...]:
    return (
        Column(QT_TRANSLATE_NOOP("users", "User name"), lambda u: u.username),
        Column(QT_TRANSLATE_NOOP("users", "Full name"), lambda u: u.full_name),
        Column(QT_TRANSLATE_NOOP("users", "Role"), lambda u: ROLES.get(u.role, u.role)),
        Column(QT_TRANSLATE_NOOP("users", "Branch"), lambda u: branch_code(u.branch_id)),
        Column(QT_TRANSLATE_NOOP("users", "State"), _state,
               warn=lambda u: not u.active or u.locked_until is not None),
        Column(QT_TRANSLATE_NOOP("users", "Two-factor"),
               lambda u: "yes" if u.totp_enabled else ""),
        Column(QT_TRANSLATE_NOOP("users", "Changed"),
               lambda u: format_date(u.updated_at.date())),
    )


@dataclass(frozen=True)
class UsersPage:
    ctx: CoreContext
    actor: Actor

    def __call__(self, after: str | None, limit: int) -> list[UserDTO]:
        return self.ctx.read(identity.list_users, self.actor, after_username=after or "",
                             limit=limit)


@dataclass(frozen=True)
class RunOrRequest:
    """On a worker: the change itself, or an approval request when a rule covers it."""

    ctx: CoreContext
    actor: Actor
    service: Callable[..., Any]
    action: str
    params: dict[str, Any]

    def __call__(self) -> UserDTO | ApprovalRequestDTO:
        try:
            return self.ctx.run(self.service, self.actor, **self.params)  # type: ignore[no-any-return]
        except errors.ApprovalRequired:
            return self.ctx.run(makerchecker.request_approval, self.actor, action=self.action,
                                params=self.params)


ACTIONS = ("create", "toggle", "reset", "unlock", "role", "branch")
_PERMISSION = {"create": "users.create", "toggle": "users.disable",
               "reset": "users.reset_password", "unlock": "users.unlock",
               "role": "users.change_role", "branch": "users.change_branch"}


class UsersScreen(AdminScreen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__(shell, "users")
        self.branches: list[BranchDTO] = []
        self.model: DtoTableModel[UserDTO] = DtoTableModel(
            columns(self.branch_code), self.runner, key_of=lambda u: u.username, page_rows=shell.page_rows,
            tr_context="users", parent=self)
        self.dialog: FormDialog | None = None
        self._build_ui()
        self.retranslate_ui()
        self._reselect: str | None = None  # the user to select again once the list reloaded
        self.model.sig_load_failed.connect(self._on_load_failed)
        self.model.sig_page_loaded.connect(self._on_page_loaded)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.refresh()

    def _build_ui(self) -> None:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key in ACTIONS:
            button = QPushButton(objectName=f"users_{key}")
            button.setVisible(allowed(self.shell.actor, _PERMISSION[key]))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.table = make_table("usersTable")
        self.table.setModel(self.model)
        size_columns(self.table, (18, 24, 18, 8, 30, 12, 11), 1)
        self.layout_.addWidget(self.table, 1)
        self.pending = QLabel(objectName="usersPending")
        self.pending.setWordWrap(True)
        self.layout_.addWidget(self.pending)
        self.buttons["create"].clicked.connect(self.ask_create)
        self.buttons["toggle"].clicked.connect(self.ask_toggle)
        self.buttons["reset"].clicked.connect(self.ask_reset)
        self.buttons["unlock"].clicked.connect(self.unlock_selected)
        self.buttons["role"].clicked.connect(self.ask_role)
        self.buttons["branch"].clicked.connect(self.ask_branch)

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Users"))
        texts = {"create": self.tr("&New user…"), "toggle": self.tr("&Disable / enable…"),
                 "reset": self.tr("&Reset password…"), "unlock": self.tr("Un&lock"),
                 "role": self.tr("Change r&ole…"), "branch": self.tr("Change &branch…")}
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.model.retranslate()

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.set_loader(UsersPage(self.shell.ctx, self.shell.actor), None)
        self.call(self._on_branches, setup.list_branches)

    def _on_branches(self, branches: Any) -> None:
        self.branches = list(branches)
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 3),
                                        self.model.index(self.model.rowCount() - 1, 3))

    def branch_code(self, branch_id: int | None) -> str:
        if branch_id is None:
            return self.tr("all")
        return next((b.code for b in self.branches if b.branch_id == branch_id), str(branch_id))

    @Slot(object)
    def _on_load_failed(self, error: errors.DomainError) -> None:
        from ui.messages import message_for

        self.show_error(message_for(error))

    @Slot(int)
    def _on_page_loaded(self, _rows: int) -> None:
        if self._reselect is not None and self.select_user(self._reselect):
            self._reselect = None

    def selected(self) -> UserDTO | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_user(self, username: str) -> bool:
        for row, user in enumerate(self.model.rows()):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.pending.setText("")
        user = self.selected()
        if user is not None:
            self.call(self._on_pending, makerchecker.pending_for, entity_type="user",
                      entity_id=user.username)

    def _on_pending(self, requests: Any) -> None:
        lines = [self.tr("Pending #%1: %2 (asked by %3)").replace("%1", str(r.request_id))
                 .replace("%2", r.summary).replace("%3", r.maker) for r in requests]
        self.pending.setText("\n".join(lines))

    # --- actions ------------------------------------------------------------------------------
    def _roles(self) -> list[tuple[str, Any]]:
        return [(label, name) for name, label in ROLES.items()]

    def _branch_choices(self) -> list[tuple[str, Any]]:
        return [(self.tr("All branches"), None)] + [
            (f"{b.code} · {b.name}", b.branch_id) for b in self.branches]

    def _open(self, title: str, fields: list[Field], on_accept: Callable[[], None]) -> FormDialog:
        self.dialog = FormDialog(title, fields, self, name="usersDialog")
        self.dialog.accepted.connect(on_accept)
        self.dialog.open()
        return self.dialog

    @Slot()
    def ask_create(self) -> FormDialog:
        return self._open(self.tr("New user"), [
            Field("username", self.tr("User name")),
            Field("full_name", self.tr("Full name")),
            Field("role", self.tr("Role"), "combo", self._roles(), "teller"),
            Field("branch_id", self.tr("Branch"), "combo", self._branch_choices(),
                  self.shell.actor.branch_id),  # the administrator's own branch first
            Field("password", self.tr("Initial password"), "password"),
        ], self._create)

    def _create(self) -> None:
        assert self.dialog is not None
        v = self.dialog.values()
        params = {"username": v["username"], "full_name": v["full_name"], "role": v["role"],
                  "branch_id": v["branch_id"], "password": v["password"]}
        self._change(identity.create_user, "users.create", params)

    def _change(self, service: Callable[..., Any], action: str, params: dict[str, Any]) -> None:
        self.submit(self._on_changed, RunOrRequest(self.shell.ctx, self.shell.actor, service,
                                                   action, params))

    def _on_changed(self, result: Any) -> None:
        if isinstance(result, ApprovalRequestDTO):
            self.show_notice(self.tr("Request #%1 waits for a second person's approval: %2")
                             .replace("%1", str(result.request_id)).replace("%2", result.summary))
        else:
            self.show_notice(self.tr("Saved: %1.").replace("%1", result.username))
        selected = self.selected()
        self._reselect = selected.username if selected is not None else None
        self.model.reload()

    def _need_selection(self) -> UserDTO | None:
        user = self.selected()
        if user is None:
            self.show_error(self.tr("Select a user first."))
        return user

    @Slot()
    def ask_toggle(self) -> FormDialog | None:
        user = self._need_selection()
        if user is None:
            return None
        title = (self.tr("Disable %1") if user.active else self.tr("Enable %1")).replace(
            "%1", user.username)
        return self._open(title, [Field("reason", self.tr("Reason"))], self._toggle)

    def _toggle(self) -> None:
        user = self.selected()
        assert self.dialog is not None and user is not None
        self.call(self._on_changed, identity.set_user_active, write=True,
                  username=user.username, active=not user.active,
                  reason=self.dialog.values()["reason"])

    @Slot()
    def ask_reset(self) -> FormDialog | None:
        user = self._need_selection()
        if user is None:
            return None
        return self._open(self.tr("Reset the password of %1").replace("%1", user.username),
                          [Field("password", self.tr("Temporary password"), "password")],
                          self._reset)

    def _reset(self) -> None:
        user = self.selected()
        assert self.dialog is not None and user is not None
        self.call(self._on_changed, identity.reset_password, write=True,
                  username=user.username, new_password=self.dialog.values()["password"])

    @Slot()
    def unlock_selected(self) -> None:
        user = self._need_selection()
        if user is not None:
            self.call(self._on_changed, identity.unlock_user, write=True,
                      username=user.username)

    @Slot()
    def ask_role(self) -> FormDialog | None:
        user = self._need_selection()
        if user is None:
            return None
        return self._open(self.tr("Role of %1").replace("%1", user.username),
                          [Field("role", self.tr("Role"), "combo", self._roles(), user.role)],
                          self._role)

    def _role(self) -> None:
        user = self.selected()
        assert self.dialog is not None and user is not None
        self._change(identity.change_role, "users.change_role",
                     {"username": user.username, "role": self.dialog.values()["role"]})

    @Slot()
    def ask_branch(self) -> FormDialog | None:
        user = self._need_selection()
        if user is None:
            return None
        return self._open(self.tr("Branch of %1").replace("%1", user.username),
                          [Field("branch_id", self.tr("Branch"), "combo",
                                 self._branch_choices(), user.branch_id)], self._branch)

    def _branch(self) -> None:
        user = self.selected()
        assert self.dialog is not None and user is not None
        self.call(self._on_changed, identity.change_branch, write=True,
                  username=user.username, branch_id=self.dialog.values()["branch_id"])


