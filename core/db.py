"""Engine factory: SQLite (WAL, FKs, busy timeout, BEGIN IMMEDIATE for writes) or PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase

from core import limits

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Execution option read by the SQLite 'begin' hook: readers take BEGIN (deferred) and do not
# queue behind writers; writers take BEGIN IMMEDIATE so they never fail on lock upgrade.
READ_ONLY = "cbs_read_only"


def _chain_hash(prev: bytes | None, digest: bytes | None) -> bytes | None:
    """SQLite twin of PostgreSQL's sha256(prev || digest) for the audit chain."""
    if prev is None or digest is None:
        return None
    return hashlib.sha256(bytes(prev) + bytes(digest)).digest()


def normalize_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and route them through psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5, **kw: Any) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo, **kw)
    return create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=10, pool_pre_ping=True, **kw
    )


def _sqlite_engine(url: str, *, echo: bool, **kw: Any) -> Engine:
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": limits.SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **kw,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's begin hook own transactions instead of pysqlite's implicit ones.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={limits.SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")  # a committed posting survives a power cut
        cur.close()
        dbapi_conn.create_function("cbs_chain_hash", 2, _chain_hash, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
