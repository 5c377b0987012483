"""`cbs fx ...` on a SQLite file: import the ECB file, show rates and position, revalue twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import core.models  # noqa: F401
from app.cli import main
from core.clock import Clock
from core.db import Base, make_engine
from core.services import setup
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fx"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CBS_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="cli-test")
    ctx.run(setup.init_bank, SYSTEM, bank_name="CLI Bank", base_currency="USD",
            business_date=date(2026, 12, 4))
    ctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office",
            currencies=("USD", "EUR"))
    engine.dispose()
    return url


def test_fx_commands(url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--url", url, "fx", "import-rates", str(FIXTURES / "eurofxref-daily.xml")]) == 0
    assert "29 now in force" in capsys.readouterr().out
    assert main(["--url", url, "fx", "rates"]) == 0
    assert "EUR" in capsys.readouterr().out
    assert main(["--url", url, "fx", "position"]) == 0
    assert main(["--url", url, "fx", "revalue", "--date", "2026-12-04"]) == 0
    assert main(["--url", url, "fx", "revalue"]) == 0
    assert "already revalued" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,buy,sell\nEUR,1.2,1.1\n")
    assert main(["--url", url, "fx", "import-rates", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err
