"""Throwaway PostgreSQL databases for tests: created on 127.0.0.1:5432, dropped afterwards."""

from __future__ import annotations

import os
import uuid

ADMIN_URL = os.environ.get("CBS_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
_reachable: bool | None = None
reason = ""


def reachable() -> bool:
    global _reachable, reason
    if _reachable is None:
        try:
            import psycopg

            with psycopg.connect(ADMIN_URL, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _reachable = True
        except Exception as exc:  # noqa: BLE001 - any failure means: run on SQLite only
            _reachable = False
            reason = f"PostgreSQL at {ADMIN_URL} unreachable ({type(exc).__name__}: {exc})"
    return _reachable


def create_database(prefix: str = "cbs_test") -> str:
    import psycopg

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
