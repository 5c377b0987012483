"""`cbs bench ledger` end to end with tiny numbers, on SQLite and PostgreSQL.

It checks what the command reports and that the ledger is still right afterwards; it never
asserts timings (those depend on the machine and its load).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app import cli
from app.bench._ledger_setup import FUNDING_MINOR, HOT_GL_CODES
from core.db import make_engine
from tests import pg

WORKERS, TRANSFERS, ACCOUNTS = 2, 40, 10
PHASE_KEYS = {"transfers", "errors", "wall_s", "transfers_per_s", "p50_ms", "p99_ms"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without schema: the bench creates what it needs."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    if not pg.reachable():
        pytest.skip(pg.reason)
    url = pg.create_database("cbs_test_bench")
    yield url
    pg.drop_database(url)


def run_bench(url: str, capsys: pytest.CaptureFixture[str]) -> dict:
    code = cli.main(["bench", "ledger", "--url", url, "--workers", str(WORKERS),
                     "--transfers", str(TRANSFERS), "--accounts", str(ACCOUNTS), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_bench_reports_figures_and_keeps_the_ledger_right(empty_url, capsys):
    figures = run_bench(empty_url, capsys)

    assert figures["database"] in ("sqlite", "postgresql")
    assert figures["workers"] == WORKERS and figures["transfers"] == TRANSFERS
    for phase in ("service", "floor", "hot"):
        assert PHASE_KEYS <= figures[phase].keys()
        assert figures[phase]["transfers"] == TRANSFERS
    # deadlocks and serialization failures are retried inside CoreContext.run: callers see none
    assert figures["service"]["errors"] == 0 and figures["hot"]["errors"] == 0
    assert figures["floor"]["errors"] == 0
    for key in ("ratio", "latency_p50_ms", "latency_p99_ms", "rss_peak_mb"):
        assert figures[key] is not None and figures[key] > 0
    assert figures["invariants"]["ok"]

    engine = make_engine(empty_url)
    with engine.connect() as conn:
        accounts = conn.execute(text(
            "SELECT a.id, a.kind, a.gl_code, a.normal_sign, a.balance_minor"
            " + COALESCE((SELECT SUM(s.balance_minor) FROM balance_shards s"
            "             WHERE s.account_id = a.id), 0),"
            " COALESCE((SELECT SUM(p.amount_minor) FROM postings p WHERE p.account_id = a.id),"
            "          0) FROM accounts a")).all()
        transfers = conn.execute(text(
            "SELECT count(*) FROM journal_entries WHERE kind = 'transfer'")).scalar_one()
        unbalanced = conn.execute(text(
            "SELECT count(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id"
            " HAVING SUM(amount_minor) <> 0) x")).scalar_one()
    engine.dispose()

    # every account's stored balance (with its shards) equals the sum of its postings
    for acc_id, _kind, _code, sign, balance, posted in accounts:
        assert balance == posted * sign, f"account {acc_id}"
    assert unbalanced == 0
    # money only moved between the run's customers and the hot income accounts: total unchanged
    kept = sum(bal for _i, kind, code, _s, bal, _p in accounts
               if kind == "customer" or code in HOT_GL_CODES)
    assert kept == ACCOUNTS * FUNDING_MINOR
    # each phase posts its transfers plus one untimed warm-up per worker
    assert transfers == 3 * (TRANSFERS + WORKERS)


def test_rerun_reuses_the_database_with_fresh_accounts(empty_url, capsys):
    run_bench(empty_url, capsys)
    second = run_bench(empty_url, capsys)
    assert second["invariants"]["ok"] and second["service"]["errors"] == 0
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        customers = conn.execute(text(
            "SELECT count(*) FROM accounts WHERE kind = 'customer'")).scalar_one()
    engine.dispose()
    assert customers == 2 * ACCOUNTS
