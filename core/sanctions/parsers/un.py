"""UN Security Council consolidated list (XML, root CONSOLIDATED_LIST)."""

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

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _texts(el: etree._Element, path: str) -> list[str]:
    return [clean(t) for t in el.xpath(path) if clean(t)]


def _dobs(el: etree._Element) -> list[str]:
    out: list[str] = []
    for d in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date, year = clean(d.findtext("DATE")), clean(d.findtext("YEAR"))
        lo, hi = clean(d.findtext("FROM_YEAR")), clean(d.findtext("TO_YEAR"))
        if date:
            out += parse_loose_date(date[:10])
        elif year:
            out += parse_loose_date(year)
        elif lo and hi:
            out += parse_loose_date(f"{lo} to {hi}")
    return out


def _entry(el: etree._Element, path: Path) -> ParsedEntry:
    where = f"line {el.sourceline} <{el.tag}>"
    data_id = clean(el.findtext("DATAID"))
    if not data_id:
        raise fail(path, where, "an entry without DATAID")
    name = " ".join(p for p in (clean(el.findtext(t)) for t in _NAME_PARTS) if p)
    person = el.tag == "INDIVIDUAL"
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    e = ParsedEntry(external_id=data_id, entry_type="person" if person else "entity",
                    primary_name=name, programs=_texts(el, "UN_LIST_TYPE/text()"),
                    remarks=clean(el.findtext("COMMENTS1"))[:4000])
    ref = clean(el.findtext("REFERENCE_NUMBER"))
    if ref:
        e.identifiers.append(f"UN reference {ref}")
    for a in el.findall(alias_tag):
        alias = clean(a.findtext("ALIAS_NAME"))
        if alias:
            kind = "weak" if clean(a.findtext("QUALITY")).lower() == "low" else "aka"
            e.aliases.append((alias, kind))
    original = clean(el.findtext("NAME_ORIGINAL_SCRIPT"))
    if original:
        e.aliases.append((original, "aka"))
    e.birth_dates = _dobs(el)
    for c in _texts(el, "NATIONALITY/VALUE/text()"):
        code = country_code(c)
        if code and code not in e.countries:
            e.countries.append(code)
    for d in el.findall("INDIVIDUAL_DOCUMENT"):
        number = clean(d.findtext("NUMBER"))
        if number:
            e.identifiers.append(f"{clean(d.findtext('TYPE_OF_DOCUMENT'))} {number}".strip())
    check_entry(path, where, e)
    return e


def parse(path: str | Path, progress: Progress | None = None) -> list[ParsedEntry]:
    path = Path(path)
    return parse_entries(path, "CONSOLIDATED_LIST", ("INDIVIDUAL", "ENTITY"), _entry,
                         id_name="DATAID", list_name="UN", progress=progress)
