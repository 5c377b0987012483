"""`cbs bench <name>` finds its scenarios in app/bench/<name>.py; figures are computed right."""

from __future__ import annotations

import pytest

from app import bench, cli
from app.bench import _stats
from app.bench import ledger as ledger_bench


def test_scenarios_are_found_by_module_and_dispatched():
    assert "ledger" in bench.scenario_names()
    assert not any(name.startswith("_") for name in bench.scenario_names())
    args = cli.build_parser().parse_args(
        ["bench", "ledger", "--url", "sqlite:///x.db", "--workers", "3", "--transfers", "30",
         "--json"])
    assert args.func is ledger_bench.run
    assert (args.sub_url, args.workers, args.transfers, args.json) == ("sqlite:///x.db", 3, 30,
                                                                       True)


def test_unknown_scenario_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["bench", "no-such-bench"])
    assert "invalid choice" in capsys.readouterr().err


def test_bench_without_a_url_refuses_rather_than_touch_the_demo_database(monkeypatch, capsys):
    monkeypatch.delenv("CBS_DATABASE_URL", raising=False)
    assert cli.main(["bench", "ledger", "--workers", "1", "--transfers", "2"]) == 2
    assert "--url" in capsys.readouterr().err


def test_percentiles_are_nearest_rank():
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert _stats.percentile(values, 50) == 0.050
    assert _stats.percentile(values, 99) == 0.099
    assert _stats.percentile([0.003], 99) == 0.003
    assert _stats.percentile([], 50) == 0.0
    result = _stats.PhaseResult("service", 100, 0, 2.0, tuple(values))
    assert result.per_s == 50.0 and result.as_dict()["p99_ms"] == 99.0
