"""EU consolidated financial sanctions list, FSF XML export.

<export xmlns="http://eu.europa.ec/fpi/fsd/export"> holds <sanctionEntity logicalId=...> elements
with <subjectType code="person|enterprise"/>, <nameAlias wholeName firstName middleName lastName
strong/>, <citizenship countryIso2Code/>, <birthdate birthdate year/>, <identification number
documentType/>, <address countryIso2Code/>, <regulation programme/> and <remark>.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from core.sanctions.parsers.common import (
    ParsedEntry,
    Progress,
    check_entry,
    clean,
    country_code,
    fail,
    parse_loose_date,
)
from core.sanctions.parsers.xmlcommon import parse_entries

NS = "http://eu.europa.ec/fpi/fsd/export"
_T = {"person": "person", "enterprise": "entity", "vessel": "vessel", "aircraft": "aircraft"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _alias_name(a: etree._Element) -> str:
    whole = clean(a.get("wholeName"))
    if whole:
        return whole
    parts = (clean(a.get(k)) for k in ("firstName", "middleName", "lastName"))
    return " ".join(p for p in parts if p)


def _entry(el: etree._Element, path: Path) -> ParsedEntry:
    where = f"line {el.sourceline} <sanctionEntity>"
    ext = clean(el.get("logicalId")) or clean(el.get("euReferenceNumber"))
    if not ext:
        raise fail(path, where, "no logicalId")
    st = el.find(_q("subjectType"))
    code = clean(st.get("code")) if st is not None else ""
    if code not in _T:
        raise fail(path, where, f"subjectType '{code}' is not person or enterprise")
    names = [(_alias_name(a), a.get("strong", "true")) for a in el.findall(_q("nameAlias"))]
    names = [(n, s) for n, s in names if n]
    if not names:
        raise fail(path, where, "no nameAlias with a name")
    e = ParsedEntry(external_id=ext, entry_type=_T[code], primary_name=names[0][0])
    e.aliases = [(n, "aka" if s.lower() != "false" else "weak") for n, s in names[1:]]
    e.programs = sorted({clean(r.get("programme")) for r in el.findall(_q("regulation"))} - {""})
    for b in el.findall(_q("birthdate")):
        e.birth_dates += parse_loose_date(clean(b.get("birthdate")) or clean(b.get("year")))
    for tag in ("citizenship", "address"):
        for c in el.findall(_q(tag)):
            cc = country_code(clean(c.get("countryIso2Code")) or clean(c.get("countryDescription")))
            if cc and cc != "00" and cc not in e.countries:
                e.countries.append(cc)
    for i in el.findall(_q("identification")):
        if clean(i.get("number")):
            e.identifiers.append(f"{clean(i.get('documentType'))} {clean(i.get('number'))}".strip())
    e.remarks = " ".join(clean(r.text) for r in el.findall(_q("remark")) if clean(r.text))
    if clean(el.get("euReferenceNumber")):
        e.identifiers.append(f"EU reference {clean(el.get('euReferenceNumber'))}")
    check_entry(path, where, e)
    return e


def parse(path: str | Path, progress: Progress | None = None) -> list[ParsedEntry]:
    path = Path(path)
    return parse_entries(path, _q("export"), (_q("sanctionEntity"),), _entry,
                         id_name="logicalId", list_name="EU", progress=progress)
