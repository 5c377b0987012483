"""Settings: command-line flag > environment > defaults. Passwords never live in a file."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from app import paths


@dataclass(frozen=True)
class Settings:
    database_url: str
    workstation: str
    log_level: str = "INFO"


def load(url: str | None = None, workstation: str | None = None) -> Settings:
    return Settings(
        database_url=url or os.environ.get("CBS_DATABASE_URL") or paths.default_database_url(),
        workstation=workstation or os.environ.get("CBS_WORKSTATION") or socket.gethostname()[:60],
        log_level=os.environ.get("CBS_LOG_LEVEL", "INFO"),
    )
