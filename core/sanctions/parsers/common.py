"""What every list parser produces, and the helpers they share."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core import errors, limits

Progress = Callable[[str, int, int], None]  # (stage, done, total or 0 when unknown)

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass
class ParsedEntry:
    external_id: str
    entry_type: str  # person | entity | vessel | aircraft
    primary_name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, aka | weak)
    programs: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)  # YYYY | YYYY-MM | YYYY-MM-DD
    countries: list[str] = field(default_factory=list)  # ISO alpha-2, or the text if unknown
    identifiers: list[str] = field(default_factory=list)
    remarks: str = ""

    def content_hash(self) -> str:
        """Changes whenever anything a reviewer would see changes (order-insensitive lists)."""
        doc = [self.entry_type, self.primary_name, sorted(self.aliases), sorted(self.programs),
               sorted(self.birth_dates), sorted(self.countries), sorted(self.identifiers),
               self.remarks]
        return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()


def fail(path: str | Path, where: str, reason: str) -> errors.ListFileInvalid:
    return errors.ListFileInvalid(file=Path(path).name, where=where, reason=reason)


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise fail(p, "file", "not found")
    size = p.stat().st_size
    if size == 0:
        raise fail(p, "file", "the file is empty")
    if size > limits.MAX_LIST_FILE_BYTES:
        raise fail(p, "file", f"larger than {limits.MAX_LIST_FILE_BYTES} bytes")
    return p.read_bytes()


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def check_entry(path: str | Path, where: str, e: ParsedEntry) -> None:
    if not any(ch.isalnum() for ch in e.primary_name):
        raise fail(path, where, "the entry has no name")
    if len(e.primary_name) > limits.MAX_LIST_NAME_CHARS:
        raise fail(path, where, f"a name longer than {limits.MAX_LIST_NAME_CHARS} characters")
    if len(e.aliases) > limits.MAX_NAMES_PER_ENTRY:
        raise fail(path, where, f"more than {limits.MAX_NAMES_PER_ENTRY} aliases")
    e.aliases = [(n[: limits.MAX_LIST_NAME_CHARS], k) for n, k in e.aliases
                 if any(ch.isalnum() for ch in n)]


def parse_loose_date(text: str) -> list[str]:
    """'10 Dec 1948', 'Dec 1948', '1948', 'circa 1955', '1960 to 1962', '1978-04-28'."""
    t = text.strip().lower().replace("circa", "").replace("approximately", "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return [t]
    m = re.fullmatch(r"(\d{4})\s*(?:to|-)\s*(\d{4})", t)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return [str(y) for y in range(lo, min(hi, lo + 20) + 1)]
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]{3})[a-z]*\.?\s+(\d{4})", t)
    if m and m.group(2) in MONTHS:
        ym = f"{m.group(3)}-{MONTHS[m.group(2)]:02d}"
        return [f"{ym}-{int(m.group(1)):02d}" if m.group(1) else ym]
    m = re.fullmatch(r"(\d{4})", t)
    return [t] if m else []


@lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    """ISO alpha-2 for a country name or code; the cleaned text itself when unknown."""
    import pycountry

    name = clean(text).strip(" .")
    if not name:
        return ""
    if len(name) == 2 and name.isalpha():
        return name.upper()
    for attempt in (name, _COUNTRY_ALIASES.get(name.lower(), "")):
        if not attempt:
            continue
        try:
            return str(pycountry.countries.lookup(attempt).alpha_2)
        except LookupError:
            pass
    try:
        found = pycountry.countries.search_fuzzy(name)
        return str(found[0].alpha_2) if len(found) == 1 else name
    except LookupError:
        return name


_COUNTRY_ALIASES = {
    "russia": "RU", "iran": "IR", "syria": "SY", "north korea": "KP", "south korea": "KR",
    "democratic people's republic of korea": "KP", "burma": "MM", "laos": "LA",
    "united republic of tanzania": "TZ", "tanzania": "TZ", "venezuela": "VE", "bolivia": "BO",
    "vietnam": "VN", "viet nam": "VN", "moldova": "MD", "the former yugoslav republic of "
    "macedonia": "MK", "palestinian": "PS", "west bank": "PS", "gaza": "PS", "kosovo": "XK",
    "congo, democratic republic of the": "CD", "democratic republic of the congo": "CD",
    "turkey": "TR", "cote d'ivoire": "CI", "ivory coast": "CI", "czech republic": "CZ",
    "united kingdom": "GB", "united states": "US", "taiwan": "TW", "bosnia": "BA",
    "korea, north": "KP", "korea, south": "KR", "congo, republic of the": "CG",
    "cote d ivoire": "CI", "bahamas, the": "BS", "macau": "MO", "gambia, the": "GM",
}
