"""Where things live: the repository's resources and migrations, the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DIR = REPO_ROOT / "resources"
MIGRATIONS_DIR = REPO_ROOT / "migrations"
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"


def user_data_dir() -> Path:
    """Per-user data (demo database, logs): CBS_HOME, else the platform's usual place."""
    if env := os.environ.get("CBS_HOME"):
        path = Path(env)
    elif sys.platform == "win32":
        path = Path(os.environ.get("APPDATA", Path.home())) / "CBS Python"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / "CBS Python"
    else:
        path = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "cbs-python"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{user_data_dir() / 'cbs-demo.sqlite3'}"
