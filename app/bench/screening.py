"""Screening benchmark: quality on the committed test set, latency, a 100,000-customer re-screen
and a brute-force baseline (rapidfuzz WRatio against every list name), in one run.

The lists are imported into a throwaway SQLite database and the index is loaded from it the way
the service does (core.services.sanctions_index), so the figures are those of the real path.
The re-screen times the matching engine over synthetic customers held in memory (storing hits
is excluded); the brute-force figures are timed on a sample of queries and extrapolated.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
TEST_SET = ROOT / "tests/data/sanctions_screening_set.csv"


def data_dir(args: Any) -> Path:
    given = getattr(args, "data", None) or os.environ.get("CBS_SANCTIONS_DATA")
    if given:
        return Path(given)
    for up in ROOT.parents:  # ../shared beside the checkout (or beside a worktree's parent)
        if (up / "shared/data/sanctions").is_dir():
            return up / "shared/data/sanctions"
    return ROOT.parent / "shared/data/sanctions"


def _load(data: Path) -> tuple[Any, float, float]:
    import core.models  # noqa: F401
    from core.clock import Clock
    from core.db import Base, make_engine
    from core.services import sanctions_import
    from core.services.authz import SYSTEM
    from core.services.sanctions_index import clear_cache, current_index
    from core.unit_of_work import CoreContext

    tmp = tempfile.mkdtemp(prefix="cbs-bench-")
    engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
    Base.metadata.create_all(engine)
    ctx = CoreContext(engine, Clock(), "bench")
    t0 = time.perf_counter()
    ctx.run(sanctions_import.import_list, SYSTEM, files=[str(data / "ofac/sdn.csv")],
            rescreen=False)
    ctx.run(sanctions_import.import_list, SYSTEM, files=[str(data / "un/UN_consolidated.xml")],
            rescreen=False)
    import_s = time.perf_counter() - t0
    clear_cache()
    proc = psutil.Process()
    before = proc.memory_info().rss
    _, index = ctx.read(lambda uow: current_index(uow), SYSTEM)
    index_mb = (proc.memory_info().rss - before) / 2**20
    engine.dispose()
    return index, import_s, index_mb


def _quality(index: Any) -> dict[str, Any]:
    rows = list(csv.DictReader(TEST_SET.open(encoding="utf-8")))
    found: dict[str, list[int]] = {}
    false_pos = negatives = 0
    for r in rows:
        hits = index.search(r["query"])
        if r["variant"] == "none":
            negatives += 1
            false_pos += bool(hits)
            continue
        ok = any(h.entry.list_code == r["expected_list"] and h.entry.external_id ==
                 r["expected_id"] for h in hits)
        found.setdefault(r["variant"], []).append(int(ok))
    all_ok = [x for v in found.values() for x in v]
    return {"test_set_rows": len(rows), "recall": round(sum(all_ok) / len(all_ok), 4),
            "recall_by_variant": {k: round(sum(v) / len(v), 4) for k, v in sorted(found.items())},
            "false_positive_rate": round(false_pos / negatives, 4),
            "non_list_names": negatives}


def _latency(index: Any, n: int) -> dict[str, Any]:
    rows = list(csv.DictReader(TEST_SET.open(encoding="utf-8")))
    rng = random.Random(7)
    queries = [r["query"] for r in rng.sample(rows, min(n, len(rows)))]
    index._token_cache.clear()  # no head start from the quality pass over the same names
    times = []
    for q in queries:
        t = time.perf_counter()
        index.search(q)
        times.append(time.perf_counter() - t)
    times.sort()
    n = len(queries)
    return {"latency_queries": n, "p50_ms": round(times[len(times) // 2] * 1000, 3),
            "p95_ms": round(times[int(len(times) * 0.95)] * 1000, 3),
            "names_per_s": round(n / sum(times), 1)}


def synthetic_customers(n: int, index: Any, seed: int = 11) -> list[str]:
    from app.bench._ordinary_names import FIRST, LAST

    rng = random.Random(seed)
    listed = index.display
    out = []
    for i in range(n):
        if i % 100 == 0:  # one customer in a hundred carries a listed name
            out.append(rng.choice(listed))
        elif i % 3 == 0:
            out.append(f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}")
        else:
            out.append(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    return out


def _rescreen(index: Any, n: int) -> dict[str, Any]:
    names = synthetic_customers(n, index)
    index._token_cache.clear()
    t = time.perf_counter()
    hits = sum(1 for name in names if index.search(name))
    took = time.perf_counter() - t
    return {"rescreen_customers": n, "rescreen_s": round(took, 2),
            "rescreen_customers_with_hits": hits,
            "rescreen_note": "matching engine, one process; storing hits not included"}


def _brute_force(index: Any, n_customers: int, sample: int = 100) -> dict[str, Any]:
    from rapidfuzz import fuzz, process

    choices = index.display
    names = synthetic_customers(sample, index, seed=13)
    t = time.perf_counter()
    for q in names:
        process.extract(q, choices, scorer=fuzz.WRatio, score_cutoff=85, limit=None)
    per = (time.perf_counter() - t) / sample
    return {"brute_force_names_compared": len(choices),
            "brute_force_ms_per_name": round(per * 1000, 2),
            "brute_force_rescreen_s_extrapolated": round(per * n_customers, 1),
            "brute_force_note": f"WRatio against every name, timed on {sample} names and "
                                "extrapolated"}


HELP = "sanctions screening: recall/false positives, latency, 100k re-screen vs brute force"


def add_arguments(p: Any) -> None:
    p.add_argument("--customers", type=int, default=100_000, help="customers to re-screen")
    p.add_argument("--queries", type=int, default=1_000, help="names for the latency figures")
    p.add_argument("--data", help="folder with ofac/ and un/ (default: ../shared/data/sanctions)")


def run(args: Any) -> int:
    import json

    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")
    return 0


def measure(args: Any) -> dict[str, Any]:
    index, import_s, index_mb = _load(data_dir(args))
    result: dict[str, Any] = {"lists": "OFAC SDN + UN consolidated", "entries": len(index.entries),
                              "indexed_names": index.name_count,
                              "import_s": round(import_s, 2),
                              "index_resident_mb": round(index_mb, 1),
                              "process_rss_mb": round(psutil.Process().memory_info().rss / 2**20,
                                                      1)}
    result |= _quality(index)
    result |= _latency(index, getattr(args, "queries", 1000))
    n = getattr(args, "customers", 100_000)
    result |= _rescreen(index, n)
    result |= _brute_force(index, n)
    result["targets"] = {"p95_ms": 10, "rescreen_s": 60, "recall": 0.95,
                         "false_positive_rate": 0.01, "index_mb": 300}
    return result
