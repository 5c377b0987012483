"""The hits table of the review screen: its columns, status filters and page loader."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core import limits
from core.sanctions.dto import HitDTO
from core.services import sanctions_review
from core.unit_of_work import Actor, CoreContext
from ui.formatting import format_datetime
from ui.screens.sanctions.explain import (
    LIST_TITLES,
    SHORT_STATUS_TITLES,
    STATUS_TITLES,
    percent,
    title_of,
)
from ui.table_model import ALIGN_RIGHT, Column

COLUMNS: tuple[Column[HitDTO], ...] = (
    Column(QT_TRANSLATE_NOOP("sanctions", "Hit"), lambda h: h.hit_id, alignment=ALIGN_RIGHT),
    Column(QT_TRANSLATE_NOOP("sanctions", "Customer"), lambda h: h.customer_name,
           tooltip=lambda h: h.customer_name),
    Column(QT_TRANSLATE_NOOP("sanctions", "List"), lambda h: h.list_code,
           lambda v, _h: title_of(LIST_TITLES, v)),
    Column(QT_TRANSLATE_NOOP("sanctions", "Entry"), lambda h: h.external_id),
    Column(QT_TRANSLATE_NOOP("sanctions", "Matched name"), lambda h: h.matched_name,
           tooltip=lambda h: h.matched_name),
    Column(QT_TRANSLATE_NOOP("sanctions", "Score"), lambda h: h.score,
           lambda v, _h: percent(v), ALIGN_RIGHT,
           warn=lambda h: h.score > limits.SANCTIONS_STRONG_HIT_SCORE),
    Column(QT_TRANSLATE_NOOP("sanctions", "Status"), lambda h: h.status,
           lambda v, _h: title_of(SHORT_STATUS_TITLES if v in SHORT_STATUS_TITLES
                                  else STATUS_TITLES, v),
           tooltip=lambda h: title_of(STATUS_TITLES, h.status)),
    Column(QT_TRANSLATE_NOOP("sanctions", "Found"), lambda h: h.created_at,
           lambda v, _h: format_datetime(v)),
)
COLUMN_CHARS = (5, 0, 15, 8, 0, 6, 15, 16)  # 0: stretches
STATUS_FILTERS = ("open", "pending_clear", "true_match", "false_positive", None)
FILTER_LABELS = (
    QT_TRANSLATE_NOOP("sanctions", "Open"),
    QT_TRANSLATE_NOOP("sanctions", "Clearing pending approval"),
    QT_TRANSLATE_NOOP("sanctions", "Decided: true match"),
    QT_TRANSLATE_NOOP("sanctions", "Decided: false positive"),
    QT_TRANSLATE_NOOP("sanctions", "All hits"),
)


@dataclass(frozen=True)
class HitsPage:
    """The page loader: one keyset page of hits with the chosen status (worker thread)."""

    ctx: CoreContext
    actor: Actor
    status: str | None

    def __call__(self, after_id: int, limit: int) -> list[HitDTO]:
        return self.ctx.read(sanctions_review.list_hits, self.actor, status=self.status,
                             after_id=after_id, limit=limit)
