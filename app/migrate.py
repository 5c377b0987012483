"""Run alembic from code: `cbs db upgrade`, tests, and the demo bootstrap."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app import paths
from core.db import normalize_url


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    cfg.attributes["url"] = normalize_url(url)
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raises if the models and the migrated schema differ (alembic check)."""
    command.check(alembic_config(url))
