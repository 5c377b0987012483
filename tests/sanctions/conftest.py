"""Fixtures for the sanctions tests: the real list files (parsed once per session) and samples."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
EU_SAMPLE = DATA / "eu_fsf_sample.xml"
WATCHLIST = DATA / "internal_watchlist_sample.csv"


def _real_data() -> Path | None:
    for up in HERE.parents:  # ../shared/data beside the checkout (or above a worktree)
        p = up / "shared/data/sanctions"
        if p.is_dir():
            return p
    return None


REAL = _real_data()
OFAC_SDN = REAL / "ofac/sdn.csv" if REAL else None
UN_XML = REAL / "un/UN_consolidated.xml" if REAL else None


@pytest.fixture(scope="session")
def real_data() -> Path:
    if REAL is None:
        pytest.skip("../shared/data/sanctions not found beside the checkout")
    return REAL


@pytest.fixture(scope="session")
def ofac_entries(real_data: Path) -> list:
    from core.sanctions.parsers import ofac

    d = real_data / "ofac"
    return ofac.parse(d / "sdn.csv", d / "alt.csv", d / "add.csv")


@pytest.fixture(scope="session")
def un_entries(real_data: Path) -> list:
    from core.sanctions.parsers import un

    return un.parse(real_data / "un/UN_consolidated.xml")


@pytest.fixture(scope="session")
def real_index(ofac_entries: list, un_entries: list):
    from core.sanctions.index import IndexedEntry, NameIndex

    entries, names = [], []
    for code, lst in (("ofac", ofac_entries), ("un", un_entries)):
        for e in lst:
            pos = len(entries)
            entries.append(IndexedEntry(pos, code, e.external_id, e.entry_type, e.primary_name,
                                        tuple(e.birth_dates), frozenset(e.countries),
                                        e.content_hash()))
            names.append((pos, e.primary_name, "primary"))
            names += [(pos, n, k) for n, k in e.aliases if k != "weak"]
    return NameIndex(entries, names)
