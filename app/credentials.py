"""A workstation's PostgreSQL password lives in the OS keyring, never in a settings file.

Entries are keyed by service "cbs-python" and the database URL without its password, so one
workstation can keep passwords for several databases.
"""

from __future__ import annotations

from dataclasses import dataclass

import keyring
from keyring.errors import PasswordDeleteError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db import make_engine, normalize_url

SERVICE = "cbs-python"
CONNECT_TIMEOUT_S = 5


def key_of(url: str) -> str:
    """The URL as a keyring user name: normalised, without any password."""
    # URL.set(password=None) means "unchanged"; the URL is a named tuple, so replace the field
    return make_url(normalize_url(url))._replace(password=None).render_as_string(
        hide_password=False)


def store_password(url: str, password: str) -> None:
    if not password:
        raise ValueError("an empty password is not stored")
    keyring.set_password(SERVICE, key_of(url), password)


def load_password(url: str) -> str | None:
    return keyring.get_password(SERVICE, key_of(url))


def delete_password(url: str) -> bool:
    try:
        keyring.delete_password(SERVICE, key_of(url))
    except PasswordDeleteError:
        return False
    return True


def url_with_password(url: str) -> str:
    """The URL to connect with: the password from the keyring when the URL has none."""
    parsed = make_url(normalize_url(url))
    if parsed.password or parsed.get_backend_name() != "postgresql":
        return parsed.render_as_string(hide_password=False)
    password = load_password(url)
    if password is None:
        return parsed.render_as_string(hide_password=False)
    return parsed.set(password=password).render_as_string(hide_password=False)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str  # server version, or the reason it failed (never the password)


def test_connection(url: str, password: str | None = None) -> ConnectionCheck:
    """Try the database with the given password (or the keyring's); nothing is stored."""
    full = url_with_password(url) if password is None else \
        make_url(normalize_url(url)).set(password=password).render_as_string(hide_password=False)
    args = {"connect_timeout": CONNECT_TIMEOUT_S} if full.startswith("postgresql") else {}
    engine = make_engine(full, connect_args=args) if args else make_engine(full)
    try:
        with engine.connect() as conn:
            version = conn.execute(text(
                "SELECT version()" if engine.dialect.name == "postgresql"
                else "SELECT 'SQLite ' || sqlite_version()")).scalar_one()
        return ConnectionCheck(True, str(version).split(",")[0])
    except Exception as exc:  # noqa: BLE001 - any failure is reported to the settings dialog
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        if password:
            reason = reason.replace(password, "***")
        return ConnectionCheck(False, reason)
    finally:
        engine.dispose()
