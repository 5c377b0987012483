"""The bank's internal watchlist: a UTF-8 CSV with a header row (comma separated).

Columns (header names exactly; order free; the first three required):
  external_id   the bank's own reference, unique in the file
  type          person | entity | vessel | aircraft
  name          the primary name
  aliases       other names, separated by '|'
  birth_dates   YYYY or YYYY-MM-DD, separated by '|'
  countries     ISO 3166 alpha-2 codes or country names, separated by '|'
  identifiers   passport / registration numbers, separated by '|'
  programs      why the name is listed (e.g. FRAUD, PEP-REFUSED), separated by '|'
  remarks       free text
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from core import limits
from core.sanctions.parsers.common import (
    ParsedEntry,
    Progress,
    check_entry,
    clean,
    country_code,
    fail,
    parse_loose_date,
    read_bytes,
)

COLUMNS = ("external_id", "type", "name", "aliases", "birth_dates", "countries", "identifiers",
           "programs", "remarks")
REQUIRED = ("external_id", "type", "name")
_TYPES = {"person", "entity", "vessel", "aircraft"}


def _split(v: str | None) -> list[str]:
    return [clean(p) for p in (v or "").split("|") if clean(p)]


def parse(path: str | Path, progress: Progress | None = None) -> list[ParsedEntry]:
    path = Path(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(path, f"line {line}", "wrong encoding: the watchlist must be UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [clean(h) for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise fail(path, "line 1", f"header lacks {', '.join(missing)} (wrong list type?)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise fail(path, "line 1", f"unknown columns {', '.join(unknown)}")
    out: list[ParsedEntry] = []
    seen: set[str] = set()
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if None in row or any(row.get(c) is None for c in header):
                raise fail(path, where, f"the row does not have {len(header)} fields")
            out.append(_entry(path, where, row, seen))
            if len(out) > limits.MAX_LIST_ENTRIES:
                raise fail(path, where, f"more than {limits.MAX_LIST_ENTRIES} entries")
            if progress and len(out) % 1000 == 0:
                progress("parse watchlist", len(out), 0)
    except csv.Error as exc:
        raise fail(path, f"line {reader.line_num}", f"broken CSV ({exc})") from exc
    if not out:
        raise fail(path, "file", "no entries after the header")
    return out


def _entry(path: Path, where: str, row: dict[str, str], seen: set[str]) -> ParsedEntry:
    ext, etype = clean(row["external_id"]), clean(row["type"]).lower()
    if not ext:
        raise fail(path, where, "external_id is empty")
    if ext in seen:
        raise fail(path, where, f"external_id {ext} appears twice")
    if etype not in _TYPES:
        raise fail(path, where, f"type '{etype}' is not person, entity, vessel or aircraft")
    dobs: list[str] = []
    for d in _split(row.get("birth_dates")):
        parsed = parse_loose_date(d)
        if not parsed:
            raise fail(path, where, f"birth date '{d}' is not YYYY or YYYY-MM-DD")
        dobs += parsed
    seen.add(ext)
    e = ParsedEntry(external_id=ext, entry_type=etype, primary_name=clean(row["name"]),
                    aliases=[(a, "aka") for a in _split(row.get("aliases"))],
                    programs=_split(row.get("programs")), birth_dates=dobs,
                    countries=[country_code(c) for c in _split(row.get("countries"))],
                    identifiers=_split(row.get("identifiers")),
                    remarks=clean(row.get("remarks")))
    check_entry(path, where, e)
    return e
