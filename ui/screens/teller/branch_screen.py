"""The head teller's view: every open till of the branch and its cash against its limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QTableView

from core.errors import DomainError
from core.services import setup
from core.services.teller import blotter
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_amount, format_datetime
from ui.messages import message_for
from ui.screens.base import Screen, ShellContext, page_layout
from ui.screens.teller.blotter_panel import make_table
from ui.table_model import ALIGN_CENTER, ALIGN_RIGHT, Column, DtoTableModel
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class PositionRow:
    key: tuple[str, str]
    till: str
    teller: str
    opened_at: Any
    currency: str
    balance_minor: int
    limit_minor: int
    excess_minor: int
    pending: int


def _amount(value: Any, row: PositionRow) -> str:
    return format_amount(int(value), row.currency)


COLUMNS: tuple[Column[PositionRow], ...] = (
    Column(QT_TRANSLATE_NOOP("teller", "Till"), lambda r: r.till),
    Column(QT_TRANSLATE_NOOP("teller", "Teller"), lambda r: r.teller),
    Column(QT_TRANSLATE_NOOP("teller", "Open since"), lambda r: r.opened_at,
           lambda v, _r: format_datetime(v)),
    Column(QT_TRANSLATE_NOOP("teller", "Currency"), lambda r: r.currency,
           alignment=ALIGN_CENTER),
    Column(QT_TRANSLATE_NOOP("teller", "Cash"), lambda r: r.balance_minor, _amount, ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Cash limit"), lambda r: r.limit_minor, _amount,
           ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("teller", "Send to vault"), lambda r: r.excess_minor, _amount,
           ALIGN_RIGHT, warn=lambda r: r.excess_minor > 0),
    Column(QT_TRANSLATE_NOOP("teller", "Movements waiting"), lambda r: r.pending,
           alignment=ALIGN_RIGHT, warn=lambda r: r.pending > 0),
)


@dataclass(frozen=True)
class BranchPage:
    """Loader: the open tills of the actor's branch (bounded by the service), one row per
    till and currency."""

    ctx: CoreContext
    actor: Actor

    def __call__(self, after: tuple[str, str], limit: int) -> list[PositionRow]:
        branch_id = self.actor.branch_id
        if branch_id is None:
            branches = self.ctx.read(setup.list_branches, self.actor)
            if not branches:
                return []
            branch_id = branches[0].branch_id
        rows = [PositionRow((t.till_code, p.currency), t.till_code, t.teller, t.opened_at,
                            p.currency, p.balance_minor, p.cash_limit_minor, p.excess_minor,
                            t.pending_movements)
                for t in self.ctx.read(blotter.branch_positions, self.actor, branch_id=branch_id)
                for p in t.positions]
        return [r for r in rows if r.key > after][:limit]


class BranchTillsScreen(Screen):
    def __init__(self, shell: ShellContext) -> None:
        super().__init__()
        self.setObjectName("screen_teller_branch")
        self._shell = shell
        self._runner = TaskRunner(shell.ctx, shell.actor, shell.pool, self)
        self.model: DtoTableModel[PositionRow] = DtoTableModel(
            COLUMNS, self._runner, key_of=lambda r: r.key, tr_context="teller", parent=self)
        self.title = QLabel(self.tr("Tills of the branch"), objectName="screenTitle")
        self.info = QLabel(objectName="screenInfo")
        layout = page_layout(self, self.title, right=(self.info,), spacing=None)
        self.table: QTableView = make_table(self.model, "branchTills", (8, 0, 17, 8, 15, 15, 15, 18))
        layout.addWidget(self.table, 1)
        self.model.sig_page_loaded.connect(self._on_loaded)
        self.model.sig_load_failed.connect(self._on_failed)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_loader(BranchPage(self._shell.ctx, self._shell.actor),
                              initial_key=("", ""))

    def _on_loaded(self, _rows: int) -> None:
        tills = len({r.till for r in self.model.rows()})
        self.info.setText(self.tr("Open tills: %n (F5 refreshes)", "", tills))

    def _on_failed(self, error: DomainError) -> None:
        self.info.setText(message_for(error))
