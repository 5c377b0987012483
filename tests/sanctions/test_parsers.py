"""List parsers on the real OFAC and UN files, the EU sample, the watchlist, and bad files."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from core import errors
from core.sanctions.parsers import detect, eu, internal, ofac, un
from tests.sanctions.conftest import EU_SAMPLE, WATCHLIST


def test_ofac_counts_and_fields(ofac_entries):
    assert len(ofac_entries) == 8976
    types = Counter(e.entry_type for e in ofac_entries)
    assert types == {"person": 4620, "entity": 3673, "vessel": 406, "aircraft": 277}
    by_id = {e.external_id: e for e in ofac_entries}
    zawahiri = by_id["2676"]
    assert zawahiri.primary_name == "AL ZAWAHIRI, Dr. Ayman"
    assert "1951-06-19" in zawahiri.birth_dates
    assert any("Passport 1084010" in i for i in zawahiri.identifiers)
    cuba = by_id["306"]
    assert ("NATIONAL BANK OF CUBA", "aka") in cuba.aliases and ("BNC", "weak") in cuba.aliases
    assert {"CH", "ES", "JP"} <= set(cuba.countries) and cuba.programs == ["CUBA"]
    assert sum(1 for e in ofac_entries for _, k in e.aliases if k == "aka") == 11910


def test_un_counts_and_fields(un_entries):
    kinds = Counter(e.entry_type for e in un_entries)
    assert kinds == {"person": 730, "entity": 273}
    first = un_entries[0]
    assert (first.external_id, first.primary_name, first.birth_dates, first.countries) == (
        "6907993", "ERIC BADEGE", ["1971"], ["CD"])
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in n) for e in un_entries
               for n, _ in e.aliases)  # original-script names kept as aliases


def test_eu_sample():
    es = eu.parse(EU_SAMPLE)
    assert [e.external_id for e in es] == ["9001", "9002", "9003"]
    ivan, firm, samira = es
    assert ivan.entry_type == "person" and ivan.birth_dates == ["1965-03-14"]
    assert ("Vanya Testov", "weak") in ivan.aliases and ivan.countries == ["RU"]
    assert firm.entry_type == "entity" and firm.aliases == [("SET GmbH", "aka")]
    assert samira.primary_name == "Samira Al-Testawi" and samira.birth_dates == ["1972"]


def test_internal_watchlist():
    es = internal.parse(WATCHLIST)
    assert [e.external_id for e in es] == ["W-001", "W-002", "W-003"]
    assert es[0].aliases == [("G. Mallory", "aka"), ("Greg Mallory", "aka")]
    assert es[0].countries == ["GB"] and es[1].entry_type == "entity"


@pytest.mark.parametrize("name, code", [("sdn.csv", "ofac"), ("UN_consolidated.xml", "un")])
def test_detect_real_files(real_data, name, code):
    path = next(real_data.rglob(name))
    assert detect.detect(path) == code


def test_detect_samples():
    assert detect.detect(EU_SAMPLE) == "eu" and detect.detect(WATCHLIST) == "internal"


def _copy_ofac(real: Path, tmp: Path) -> Path:
    for n in ("sdn.csv", "alt.csv", "add.csv"):
        shutil.copy(real / "ofac" / n, tmp / n)
    return tmp / "sdn.csv"


def test_empty_file_rejected(tmp_path):
    p = tmp_path / "list.xml"
    p.write_bytes(b"")
    with pytest.raises(errors.ListFileInvalid, match="empty"):
        detect.parse_files([p])


def test_truncated_xml_names_line(real_data, tmp_path):
    raw = (real_data / "un/UN_consolidated.xml").read_bytes()
    p = tmp_path / "un.xml"
    p.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(errors.ListFileInvalid) as info:
        un.parse(p)
    assert info.value.params["where"].startswith("line ") and "malformed" in str(info.value)


def test_truncated_ofac_row_names_line(real_data, tmp_path):
    sdn = _copy_ofac(real_data, tmp_path)
    lines = sdn.read_bytes().split(b"\r\n")
    sdn.write_bytes(b"\r\n".join(lines[:100]) + b"\r\n" + lines[100][:25])
    with pytest.raises(errors.ListFileInvalid) as info:
        ofac.parse(sdn, tmp_path / "alt.csv", tmp_path / "add.csv")
    assert info.value.params["where"] in ("line 101", "line 102")


def test_ofac_alias_of_missing_entry(real_data, tmp_path):
    sdn = _copy_ofac(real_data, tmp_path)
    lines = sdn.read_bytes().split(b"\r\n")
    sdn.write_bytes(b"\r\n".join(lines[:50]) + b"\r\n")
    with pytest.raises(errors.ListFileInvalid, match="alias of unknown entry"):
        ofac.parse(sdn, tmp_path / "alt.csv", tmp_path / "add.csv")


def test_wrong_encoding_rejected(real_data, tmp_path):
    sdn = _copy_ofac(real_data, tmp_path)
    sdn.write_bytes(sdn.read_text(encoding="latin-1").encode("utf-16"))
    with pytest.raises(errors.ListFileInvalid, match="encoding"):
        ofac.parse(sdn, tmp_path / "alt.csv", tmp_path / "add.csv")
    wl = tmp_path / "watch.csv"
    wl.write_bytes(WATCHLIST.read_text().replace("Gregor", "Grégor").encode("latin-1"))
    with pytest.raises(errors.ListFileInvalid) as info:
        internal.parse(wl)
    assert info.value.params["where"] == "line 2"


def test_wrong_list_type_rejected(real_data):
    with pytest.raises(errors.ListFileInvalid, match="wrong list type"):
        un.parse(EU_SAMPLE)
    with pytest.raises(errors.DomainError):
        detect.parse_files([real_data / "un/UN_consolidated.xml"], "ofac")
    with pytest.raises(errors.ListTypeUnknown):
        detect.parse_files([EU_SAMPLE], "un")
    with pytest.raises(errors.ListFileInvalid, match="header"):
        internal.parse(real_data / "ofac/sdn.csv")


def test_bad_watchlist_row_names_line(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text(WATCHLIST.read_text() + "W-004,dragon,Smaug,,,,,,\n", encoding="utf-8")
    with pytest.raises(errors.ListFileInvalid) as info:
        internal.parse(p)
    assert info.value.params["where"] == "line 5" and "dragon" in str(info.value)
