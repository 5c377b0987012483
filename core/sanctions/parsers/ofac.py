"""OFAC SDN in its legacy CSV layout: sdn.csv (entries), alt.csv (aliases), add.csv (addresses).

'-0- ' means empty. Files are ASCII/Latin-1 with CRLF and a DOS end-of-file byte (0x1A).
"""

from __future__ import annotations

import csv
import io
import re
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

_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "entity"}
_ID_WORDS = ("passport", "national id", "identification", "tax id", "registration", "cedula",
             "ruc", "swift", "imo", "ssn", "nit", "d.n.i", "curp", "rfc", "business number",
             "license", "licence", "vessel registration", "aircraft")
_WEAK_AKA = re.compile(r"a\.k\.a\.\s+'([^']+)'")


def _text(raw: bytes, path: Path) -> str:
    if b"\x00" in raw:
        raise fail(path, "line 1", "wrong encoding: NUL bytes (UTF-16?) in a Latin-1 CSV file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # the legacy files are Latin-1
    return text.replace("\x1a", "")


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    text = _text(read_bytes(path), path)
    out = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if not row or row == [""]:
                continue
            line = reader.line_num
            if len(row) != width:
                raise fail(path, f"line {line}",
                           f"{len(row)} fields where the OFAC layout has {width}")
            row = [clean(v) for v in row]
            if not row[0].isdigit():
                raise fail(path, f"line {line}", f"'{row[0][:20]}' is not an entry number")
            out.append((line, ["" if v == "-0-" else v for v in row]))
    except csv.Error as exc:
        raise fail(path, f"line {reader.line_num}", f"broken CSV ({exc})") from exc
    if not out:
        raise fail(path, "file", "no rows")
    return out


def _programs(field: str) -> list[str]:
    return [p.strip(" []") for p in re.split(r"\]\s*\[", field) if p.strip(" []")]


def _from_remarks(e: ParsedEntry, remarks: str) -> None:
    for seg in remarks.rstrip(".").split(";"):
        s = seg.strip()
        if s.lower().startswith("alt. "):
            s = s[5:].strip()
        low = s.lower()
        if low.startswith("dob "):
            e.birth_dates += parse_loose_date(s[4:])
        elif low.startswith(("nationality ", "citizen ")):
            code = country_code(s.split(" ", 1)[1])
            if code and code not in e.countries:
                e.countries.append(code)
        elif low.startswith(_ID_WORDS) or " no. " in low:
            e.identifiers.append(s)
    e.aliases += [(m, "weak") for m in _WEAK_AKA.findall(remarks)]


def parse(sdn: str | Path, alt: str | Path, add: str | Path,
          progress: Progress | None = None) -> list[ParsedEntry]:
    sdn, alt, add = Path(sdn), Path(alt), Path(add)
    entries: dict[str, ParsedEntry] = {}
    rows = _rows(sdn, 12)
    if len(rows) > limits.MAX_LIST_ENTRIES:
        raise fail(sdn, "file", f"more than {limits.MAX_LIST_ENTRIES} entries")
    for n, (line, r) in enumerate(rows, 1):
        if r[0] in entries:
            raise fail(sdn, f"line {line}", f"entry {r[0]} appears twice")
        etype = _TYPES.get(r[2].lower())
        if etype is None:
            raise fail(sdn, f"line {line}", f"unknown SDN type '{r[2]}'")
        e = ParsedEntry(external_id=r[0], entry_type=etype, primary_name=r[1],
                        programs=_programs(r[3]), remarks=r[11])
        if r[9]:
            e.countries.append(country_code(r[9]))
        _from_remarks(e, r[11])
        check_entry(sdn, f"line {line}", e)
        entries[r[0]] = e
        if progress and n % 1000 == 0:
            progress("parse sdn.csv", n, len(rows))
    for line, r in _rows(alt, 5):
        owner = entries.get(r[0])
        if owner is None:
            raise fail(alt, f"line {line}", f"alias of unknown entry {r[0]}")
        if r[3]:
            owner.aliases.append((r[3], "aka"))
    for line, r in _rows(add, 6):
        owner = entries.get(r[0])
        if owner is None:
            raise fail(add, f"line {line}", f"address of unknown entry {r[0]}")
        code = country_code(r[4]) if r[4] else ""
        if code and code not in owner.countries:
            owner.countries.append(code)
    for e in entries.values():
        check_entry(sdn, f"entry {e.external_id}", e)
    return list(entries.values())
