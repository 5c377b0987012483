"""Import a sanctions list file as a new list version, diffed against the active one.

Parsing is pure and finishes before anything is written, so a malformed file changes nothing.
The new version's rows, the diff counts, the switch of the active version and the batch
re-screen run it triggers commit in one transaction: the previous version stays active until
then. A refused file can be recorded as a 'rejected' version by record_rejection.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import insert, select

from core import errors, limits
from core.models.sanctions import (
    LIST_CODES,
    SanctionsEntry,
    SanctionsList,
    SanctionsListVersion,
    SanctionsName,
    ScreeningRun,
)
from core.sanctions.dto import ImportResultDTO, VersionDiffDTO, VersionDTO
from core.sanctions.names import normalise
from core.sanctions.parsers.common import ParsedEntry, Progress
from core.sanctions.parsers.detect import parse_files
from core.services import audit, authz
from core.unit_of_work import UnitOfWork

LIST_NAMES = {"ofac": "OFAC Specially Designated Nationals", "un": "UN Security Council "
              "Consolidated List", "eu": "EU Consolidated Financial Sanctions List",
              "internal": "Internal watchlist"}


def _list_row(uow: UnitOfWork, code: str) -> SanctionsList:
    row = uow.session.execute(select(SanctionsList).where(SanctionsList.code == code)
                              ).scalar_one_or_none()
    if row is None:
        row = SanctionsList(code=code, name=LIST_NAMES[code], created_at=uow.clock.now())
        uow.session.add(row)
        uow.session.flush()
    return row


def active_version(uow: UnitOfWork, list_id: int) -> SanctionsListVersion | None:
    return uow.session.execute(
        select(SanctionsListVersion).where(SanctionsListVersion.list_id == list_id,
                                           SanctionsListVersion.status == "active")
        .with_for_update()).scalar_one_or_none()


def _hashes(uow: UnitOfWork, version_id: int | None) -> dict[str, str]:
    if version_id is None:
        return {}
    rows = uow.conn.execute(select(SanctionsEntry.external_id, SanctionsEntry.content_hash)
                            .where(SanctionsEntry.version_id == version_id))
    return {r.external_id: r.content_hash for r in rows}


def _digest(paths: Sequence[str | Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def _insert(uow: UnitOfWork, version_id: int, entries: list[ParsedEntry],
            progress: Progress | None) -> int:
    names_total = 0
    step = limits.SANCTIONS_INSERT_BATCH_ROWS
    for start in range(0, len(entries), step):
        chunk = entries[start:start + step]
        ids = uow.conn.execute(
            insert(SanctionsEntry).returning(SanctionsEntry.id, sort_by_parameter_order=True),
            [{"version_id": version_id, "external_id": e.external_id,
              "entry_type": e.entry_type, "primary_name": e.primary_name,
              "programs": json.dumps(e.programs), "birth_dates": json.dumps(e.birth_dates),
              "countries": json.dumps(e.countries), "identifiers": json.dumps(e.identifiers),
              "remarks": e.remarks, "content_hash": e.content_hash()} for e in chunk],
        ).scalars().all()
        names = [{"entry_id": eid, "name": n, "kind": k, "normalised": normalise(n)[:500]}
                 for eid, e in zip(ids, chunk, strict=True)
                 for n, k in [(e.primary_name, "primary"), *e.aliases]]
        uow.conn.execute(insert(SanctionsName), names)
        names_total += len(names)
        if progress:
            progress("store entries", min(start + step, len(entries)), len(entries))
    return names_total


def import_list(uow: UnitOfWork, *, files: Sequence[str], list_code: str | None = None,
                progress: Progress | None = None, rescreen: bool = True) -> ImportResultDTO:
    authz.require(uow, "sanctions.import")
    if list_code is not None and list_code not in LIST_CODES:
        raise errors.InvalidInput(field="list", reason="one of ofac, un, eu, internal")
    code, entries = parse_files(files, list_code, progress)
    lst = _list_row(uow, code)
    previous = active_version(uow, lst.id)
    old = _hashes(uow, previous.id if previous else None)
    new = {e.external_id: e.content_hash() for e in entries}
    added = sum(1 for k in new if k not in old)
    removed = sum(1 for k in old if k not in new)
    changed = sum(1 for k, h in new.items() if k in old and old[k] != h)
    now = uow.clock.now()
    version = SanctionsListVersion(
        list_id=lst.id, status="importing", source_files=json.dumps([Path(f).name for f in files]),
        source_sha256=_digest(files), imported_at=now, imported_by=uow.actor.username,
        previous_version_id=previous.id if previous else None, entry_count=len(entries),
        added_count=added, removed_count=removed, changed_count=changed,
        unchanged_count=len(entries) - added - changed)
    uow.session.add(version)
    uow.session.flush()
    version.name_count = _insert(uow, version.id, entries, progress)
    if previous is not None:
        previous.status = "superseded"
    version.status = "active"
    version.activated_at = now
    run_id = None
    if rescreen:
        run = ScreeningRun(status="running", reason=f"{code} version {version.id} activated",
                           index_key="", started_at=now, started_by=uow.actor.username)
        uow.session.add(run)
        uow.session.flush()
        run_id = run.id
    audit.append(uow, action="sanctions.import", entity_type="sanctions_list_version",
                 entity_id=version.id,
                 payload={"list": code, "files": json.loads(version.source_files),
                          "sha256": version.source_sha256, "entries": len(entries),
                          "names": version.name_count, "added": added, "removed": removed,
                          "changed": changed, "previous_version_id": version.previous_version_id,
                          "rescreen_run_id": run_id})
    return ImportResultDTO(version.id, code, len(entries), version.name_count, added, removed,
                           changed, version.unchanged_count, version.previous_version_id, run_id)


def record_rejection(uow: UnitOfWork, *, files: Sequence[str], list_code: str | None,
                     reason: str) -> int:
    """Keep a trace of a refused file: a 'rejected' version (when the list is known) + audit."""
    authz.require(uow, "sanctions.import")
    version_id = 0
    if list_code in LIST_CODES:
        lst = _list_row(uow, list_code)
        v = SanctionsListVersion(
            list_id=lst.id, status="rejected",
            source_files=json.dumps([Path(f).name for f in files]),
            source_sha256=_digest([f for f in files if Path(f).is_file()]),
            imported_at=uow.clock.now(), imported_by=uow.actor.username)
        uow.session.add(v)
        uow.session.flush()
        version_id = v.id
    audit.append(uow, action="sanctions.import", entity_type="sanctions_list_version",
                 entity_id=version_id, outcome="refused",
                 payload={"list": list_code, "files": [Path(f).name for f in files],
                          "reason": reason[:500]})
    return version_id


def list_versions(uow: UnitOfWork, *, list_code: str | None = None) -> list[VersionDTO]:
    q = (select(SanctionsListVersion, SanctionsList.code)
         .join(SanctionsList, SanctionsList.id == SanctionsListVersion.list_id)
         .order_by(SanctionsListVersion.id.desc()).limit(limits.MAX_PAGE_ROWS))
    if list_code:
        q = q.where(SanctionsList.code == list_code)
    return [VersionDTO(v.id, code, v.status, v.imported_at, v.imported_by, v.entry_count,
                       v.added_count, v.removed_count, v.changed_count)
            for v, code in uow.session.execute(q)]


def version_diff(uow: UnitOfWork, *, version_id: int) -> VersionDiffDTO:
    v = uow.session.get(SanctionsListVersion, version_id)
    if v is None:
        raise errors.InvalidInput(field="version", reason=f"no list version {version_id}")
    new, old = _hashes(uow, v.id), _hashes(uow, v.previous_version_id)
    added = tuple(sorted(k for k in new if k not in old))
    removed = tuple(sorted(k for k in old if k not in new))
    changed = tuple(sorted(k for k, h in new.items() if k in old and old[k] != h))
    names = _primary_names(uow, v.previous_version_id, set(removed))
    names |= _primary_names(uow, v.id, set(added) | set(changed))
    return VersionDiffDTO(v.id, v.previous_version_id, added, removed, changed, names)


def _primary_names(uow: UnitOfWork, version_id: int | None, wanted: set[str]) -> dict[str, str]:
    """The primary names of some entries of a version, so a diff reads as names, not ids."""
    if version_id is None or not wanted:
        return {}
    rows = uow.conn.execute(select(SanctionsEntry.external_id, SanctionsEntry.primary_name)
                            .where(SanctionsEntry.version_id == version_id))
    return {r.external_id: r.primary_name for r in rows if r.external_id in wanted}
