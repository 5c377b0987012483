"""`cbs sanctions import|screen|rescreen` exit codes and output (SQLite file database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from core.db import Base, make_engine
from core.models.sanctions import SanctionsListVersion
from tests.sanctions.conftest import EU_SAMPLE, WATCHLIST


@pytest.fixture
def url(tmp_path: Path) -> str:
    u = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(u)
    Base.metadata.create_all(engine)
    engine.dispose()
    return u


def statuses(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = list(conn.execute(select(SanctionsListVersion.status)
                                .order_by(SanctionsListVersion.id)).scalars())
    engine.dispose()
    return out


def test_import_and_screen(url, capsys):
    assert main(["--url", url, "sanctions", "import", str(WATCHLIST)]) == 0
    out = capsys.readouterr()
    assert "internal: version 1 active, 3 entries" in out.out and "store entries" in out.err
    assert "re-screen run" in out.out
    assert main(["--url", url, "sanctions", "screen", "Greg Mallory"]) == 1
    assert "INTERNAL W-001" in capsys.readouterr().out
    assert main(["--url", url, "sanctions", "screen", "Mallory Gregor", "--birth-date",
                 "1970-05-17", "--country", "GB", "--json"]) == 1
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["list"] == "internal" and hit["entry"] == "W-001" and hit["score"] == 1.0
    assert {e["effect"] for e in hit["explanation"]["evidence"]} == {"supports"}
    assert main(["--url", url, "sanctions", "screen", "Ada Lovelace"]) == 0
    assert "no hits" in capsys.readouterr().out


def test_bad_input_exit_codes(url, capsys, tmp_path):
    assert main(["--url", url, "sanctions", "import", str(EU_SAMPLE)]) == 0
    truncated = tmp_path / "eu.xml"
    truncated.write_bytes(EU_SAMPLE.read_bytes()[:1500])
    assert main(["--url", url, "sanctions", "import", str(truncated)]) == 2
    err = capsys.readouterr().err
    assert "eu.xml, line" in err and "previous version stays active" in err
    assert statuses(url) == ["active", "rejected"]
    assert main(["--url", url, "sanctions", "screen", "..."]) == 2
    assert "no letters" in capsys.readouterr().err
    assert main(["--url", url, "sanctions", "screen", "Ivan Testovsky", "--country",
                 "Russia"]) == 2


def test_import_ofac_by_sdn_path(url, capsys, real_data):
    assert main(["--url", url, "sanctions", "import", str(real_data / "ofac/sdn.csv"),
                 "--no-rescreen"]) == 0
    assert "ofac: version 1 active, 8976 entries" in capsys.readouterr().out
