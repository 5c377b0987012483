"""Settings: command-line flag > environment > the user's settings file > defaults.

Passwords never live in a file: the settings file keeps the database URL without its password
(the PostgreSQL password is in the OS keyring, app/credentials.py).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app import paths
from core import limits

log = logging.getLogger("cbs.app.settings")

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    database_url: str
    workstation: str
    log_level: str = "INFO"
    idle_lock_minutes: float = limits.IDLE_LOCK_MINUTES


def settings_path() -> Path:
    return paths.user_data_dir() / SETTINGS_FILE


def read_file() -> dict[str, object]:
    """The saved settings; an unreadable file counts as none (and is logged)."""
    path = settings_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("settings file %s is unreadable; ignored", path)
        return {}
    return data if isinstance(data, dict) else {}


def without_password(url: str) -> str:
    parsed = make_url(url)
    return parsed._replace(password=None).render_as_string(hide_password=False)


def save_database_url(url: str) -> Path:
    """Remember the database for the next start; any password in the URL is dropped."""
    data = read_file()
    data["database_url"] = without_password(url)
    path = settings_path()
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _idle_minutes(saved: dict[str, object]) -> float:
    raw = os.environ.get("CBS_IDLE_LOCK_MINUTES", saved.get("idle_lock_minutes"))
    try:
        return float(raw) if raw is not None else float(limits.IDLE_LOCK_MINUTES)
    except (TypeError, ValueError):
        log.warning("CBS_IDLE_LOCK_MINUTES=%r is not a number; the default applies", raw)
        return float(limits.IDLE_LOCK_MINUTES)


def load(url: str | None = None, workstation: str | None = None) -> Settings:
    saved = read_file()
    saved_url = saved.get("database_url")
    return Settings(
        database_url=url or os.environ.get("CBS_DATABASE_URL")
        or (saved_url if isinstance(saved_url, str) and saved_url else None)
        or paths.default_database_url(),
        workstation=workstation or os.environ.get("CBS_WORKSTATION") or socket.gethostname()[:60],
        log_level=os.environ.get("CBS_LOG_LEVEL", "INFO"),
        idle_lock_minutes=_idle_minutes(saved),
    )
