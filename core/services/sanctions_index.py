"""The matching index of the active list versions, cached per process.

The cache key is the set of active versions, read at each use (one small query): importing a
list activates a new version, which changes the key, so every process rebuilds on its next
screen without being told.
"""

from __future__ import annotations

import json
import threading

from sqlalchemy import select

from core.models.sanctions import (
    SanctionsEntry,
    SanctionsList,
    SanctionsListVersion,
    SanctionsName,
)
from core.sanctions.index import IndexedEntry, NameIndex
from core.unit_of_work import UnitOfWork

_lock = threading.Lock()
_cache: dict[str, NameIndex] = {}
INDEXED_KINDS = ("primary", "aka")  # weak a.k.a.s (OFAC remarks, UN 'Low') are not screened


def active_versions(uow: UnitOfWork) -> list[int]:
    return list(uow.conn.execute(select(SanctionsListVersion.id)
                                 .where(SanctionsListVersion.status == "active")
                                 .order_by(SanctionsListVersion.id)).scalars())


def active_key(uow: UnitOfWork) -> str:
    """Active versions with their file digest and activation time, and the database: ids alone
    repeat across databases (and after a PostgreSQL TRUNCATE ... RESTART IDENTITY)."""
    rows = uow.conn.execute(select(SanctionsListVersion.id, SanctionsListVersion.source_sha256,
                                   SanctionsListVersion.activated_at)
                            .where(SanctionsListVersion.status == "active")
                            .order_by(SanctionsListVersion.id)).all()
    if not rows:
        return ""
    db = uow.conn.engine.url.render_as_string(hide_password=True)
    return db + "|" + ",".join(f"{r.id}:{r.source_sha256[:16]}:{r.activated_at.isoformat()}"
                               for r in rows)


def load_index(uow: UnitOfWork, key: str) -> NameIndex:
    version_ids = [int(v.split(":")[0]) for v in key.split("|", 1)[1].split(",")]
    entries: list[IndexedEntry] = []
    pos_of: dict[int, int] = {}
    rows = uow.conn.execute(
        select(SanctionsEntry.id, SanctionsList.code, SanctionsEntry.external_id,
               SanctionsEntry.entry_type, SanctionsEntry.primary_name,
               SanctionsEntry.birth_dates, SanctionsEntry.countries, SanctionsEntry.content_hash)
        .join(SanctionsListVersion, SanctionsListVersion.id == SanctionsEntry.version_id)
        .join(SanctionsList, SanctionsList.id == SanctionsListVersion.list_id)
        .where(SanctionsEntry.version_id.in_(version_ids)).order_by(SanctionsEntry.id))
    for r in rows:
        pos_of[r.id] = len(entries)
        entries.append(IndexedEntry(r.id, r.code, r.external_id, r.entry_type, r.primary_name,
                                    tuple(json.loads(r.birth_dates)),
                                    frozenset(json.loads(r.countries)), r.content_hash))
    names = uow.conn.execute(
        select(SanctionsName.entry_id, SanctionsName.name, SanctionsName.kind)
        .join(SanctionsEntry, SanctionsEntry.id == SanctionsName.entry_id)
        .where(SanctionsEntry.version_id.in_(version_ids), SanctionsName.kind.in_(INDEXED_KINDS))
        .order_by(SanctionsName.id))
    return NameIndex(entries, [(pos_of[n.entry_id], n.name, n.kind) for n in names])


def current_index(uow: UnitOfWork) -> tuple[str, NameIndex]:
    key = active_key(uow)
    if not key:
        return key, NameIndex([], [])
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = load_index(uow, key)
            _cache.clear()  # one live index per process: the old lists are gone
            _cache[key] = found
    return key, found


def clear_cache() -> None:
    with _lock:
        _cache.clear()
