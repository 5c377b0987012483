"""Roles and permissions: a role x permission matrix of checkboxes.

Saving replaces the permission set of each changed role through
identity.change_role_permissions, or asks for approval when a maker-checker rule covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem

from core.dto import ApprovalRequestDTO, RoleDTO
from core.services import identity
from core.services.authz import allowed
from core.unit_of_work import Actor, CoreContext
from ui.screens.admin.common import AdminScreen
from ui.screens.admin.users_screen import RunOrRequest
from ui.screens.base import ShellContext


@dataclass(frozen=True)
class Matrix:
    roles: tuple[RoleDTO, ...]
    permissions: tuple[tuple[str, str], ...]  # (name, description)


def load_matrix(ctx: CoreContext, actor: Actor) -> Matrix:
    roles = ctx.read(identity.list_roles, actor)
    perms = ctx.read(identity.list_permissions, actor)
    return Matrix(tuple(roles), tuple(perms))


@dataclass(frozen=True)
class SaveRoles:
    """On a worker: one change (or approval request) per changed role, in order."""

    ctx: CoreContext
    actor: Actor
    changes: tuple[tuple[str, tuple[str, ...]], ...]

    def __call__(self) -> list[RoleDTO | ApprovalRequestDTO]:
        out = []
        for role, perms in self.changes:
            params = {"role": role, "permissions": list(perms)}
            out.append(RunOrRequest(self.ctx, self.actor, _change, "roles.change_permissions",
                                    params)())
        return out


def _change(uow: Any, *, role: str, permissions: list[str]) -> RoleDTO:
    return identity.change_role_permissions(uow, role=role, permissions=tuple(permissions))


class RolesScreen(AdminScreen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__(shell, "roles")
        self.matrix: Matrix | None = None
        self.table = QTableWidget(objectName="rolesMatrix")
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton(objectName="rolesSave")
        self.revert_button = QPushButton(objectName="rolesRevert")
        self.save_button.setVisible(allowed(shell.actor, "roles.change_permissions"))
        row.addStretch(1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        self.layout_.addLayout(row)
        self.retranslate_ui()
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("Roles and permissions"))
        self.save_button.setText(self.tr("&Save changes"))
        self.revert_button.setText(self.tr("&Revert"))

    def refresh(self) -> None:
        self.submit(self._on_loaded, load_matrix, self.shell.ctx, self.shell.actor)

    def _on_loaded(self, matrix: Any) -> None:
        assert isinstance(matrix, Matrix)
        self.matrix = matrix
        editable = allowed(self.shell.actor, "roles.change_permissions")
        t = self.table
        t.clear()
        t.setRowCount(len(matrix.permissions))
        t.setColumnCount(len(matrix.roles))
        t.setHorizontalHeaderLabels([r.label for r in matrix.roles])
        t.setVerticalHeaderLabels([name for name, _ in matrix.permissions])
        for row, (name, description) in enumerate(matrix.permissions):
            t.verticalHeaderItem(row).setToolTip(description)
            for col, role in enumerate(matrix.roles):
                item = QTableWidgetItem()
                flags = Qt.ItemFlag.ItemIsUserCheckable if editable else Qt.ItemFlag.NoItemFlags
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked if name in role.permissions
                                   else Qt.CheckState.Unchecked)
                item.setToolTip(f"{role.label}: {description}")
                t.setItem(row, col, item)
        t.resizeColumnsToContents()

    def set_checked(self, role: str, permission: str, checked: bool) -> None:
        assert self.matrix is not None
        col = [r.name for r in self.matrix.roles].index(role)
        row = [p for p, _ in self.matrix.permissions].index(permission)
        self.table.item(row, col).setCheckState(
            Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def edited(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(role, new permission set) for every role whose checkboxes differ from the database."""
        if self.matrix is None:
            return ()
        out = []
        for col, role in enumerate(self.matrix.roles):
            chosen = tuple(sorted(
                name for row, (name, _d) in enumerate(self.matrix.permissions)
                if self.table.item(row, col).checkState() == Qt.CheckState.Checked))
            if set(chosen) != set(role.permissions):
                out.append((role.name, chosen))
        return tuple(out)

    @Slot()
    def save(self) -> None:
        changes = self.edited()
        if not changes:
            self.show_notice(self.tr("Nothing changed."))
            return
        self.submit(self._on_saved, SaveRoles(self.shell.ctx, self.shell.actor, changes))

    def _on_saved(self, results: Any) -> None:
        lines = []
        for r in results:
            if isinstance(r, ApprovalRequestDTO):
                lines.append(self.tr("Request #%1 waits for approval: %2")
                             .replace("%1", str(r.request_id)).replace("%2", r.summary))
            else:
                lines.append(self.tr("Role %1 saved (%2 permissions).")
                             .replace("%1", r.name).replace("%2", str(len(r.permissions))))
        self.show_notice("\n".join(lines))
        self.refresh()
