"""Which list a file is, from its first bytes (and, for OFAC, the companion files beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core import errors
from core.sanctions.parsers import eu, internal, ofac, un
from core.sanctions.parsers.common import ParsedEntry, Progress, fail

OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv")


def detect(path: Path) -> str:
    try:
        head = path.open("rb").read(4096)
    except OSError as exc:
        raise fail(path, "file", f"cannot be read ({exc.strerror})") from exc
    if not head.strip():
        raise fail(path, "file", "the file is empty")
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf ")
    if text.startswith("<?xml") or text.startswith("<"):
        if "CONSOLIDATED_LIST" in text:
            return "un"
        if eu.NS in text:
            return "eu"
        raise errors.ListTypeUnknown(file=path.name, reason="XML that is neither UN nor EU")
    first = text.splitlines()[0] if text.splitlines() else ""
    if first.startswith("external_id") or "external_id," in first:
        return "internal"
    if path.name.lower() in OFAC_FILES or first.split(",", 1)[0].strip().isdigit():
        return "ofac"
    raise errors.ListTypeUnknown(file=path.name, reason="neither OFAC CSV, UN/EU XML nor a "
                                 "watchlist CSV with an external_id header")


def ofac_triplet(paths: Sequence[Path]) -> tuple[Path, Path, Path]:
    """sdn.csv alone (alt.csv and add.csv beside it) or the three files in any order."""
    by_name = {p.name.lower(): p for p in paths}
    sdn = by_name.get("sdn.csv") or paths[0]
    found = [by_name.get(n) or sdn.with_name(n) for n in OFAC_FILES[1:]]
    for p in found:
        if not p.is_file():
            raise fail(p, "file", "not found: OFAC needs sdn.csv, alt.csv and add.csv together")
    return sdn, found[0], found[1]


def parse_files(paths: Sequence[str | Path], list_code: str | None = None,
                progress: Progress | None = None) -> tuple[str, list[ParsedEntry]]:
    """(list code, entries) for one list given as one file (or OFAC's three)."""
    ps = [Path(p) for p in paths]
    if not ps:
        raise errors.InvalidInput(field="files", reason="no file given")
    code = list_code or detect(ps[0])
    if code == "ofac":
        return code, ofac.parse(*ofac_triplet(ps), progress=progress)
    if len(ps) != 1:
        raise errors.InvalidInput(field="files", reason=f"a {code} list is one file")
    if code != "internal" and list_code and detect(ps[0]) != code:
        raise errors.ListTypeUnknown(file=ps[0].name, reason=f"this is not a {code} file")
    parser = {"un": un.parse, "eu": eu.parse, "internal": internal.parse}.get(code)
    if parser is None:
        raise errors.InvalidInput(field="list", reason="one of ofac, un, eu, internal")
    return code, parser(ps[0], progress=progress)
