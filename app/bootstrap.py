"""Composition root: settings -> engine -> core context."""

from __future__ import annotations

from app.settings import Settings
from core.clock import Clock
from core.db import make_engine
from core.unit_of_work import CoreContext


def build_context(settings: Settings, *, pool_size: int = 5) -> CoreContext:
    engine = make_engine(settings.database_url, pool_size=pool_size)
    return CoreContext(engine=engine, clock=Clock(), workstation=settings.workstation)
