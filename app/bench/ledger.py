"""`cbs bench ledger`: transfers/s and latency of the service path, beside the raw-SQL floor.

Phases, run by the same N worker processes over the same random pairs of accounts:
  service  ctx.run(ledger.transfer, ...) between two customer accounts
  floor    the same transfers as 5 raw SQL statements through the driver (no audit, no checks)
  hot      ctx.run(ledger.transfer, ...) from a customer to one of 2 hot GL accounts (shards)
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import sys
import time
import uuid
from array import array
from typing import Any

from app.bench import _ledger_setup, _stats
from app.bench._ledger_worker import Op, PhaseReport, WorkerSpec, run_worker
from core.db import make_engine

HELP = "posting throughput and latency: service path vs raw SQL floor, and hot accounts"
PHASES = ("service", "floor", "hot")
MAX_AMOUNT_MINOR = 10_000
RESULT_TIMEOUT_S = 900


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=4, help="worker processes (default 4)")
    p.add_argument("--transfers", type=int, default=2000,
                   help="transfers per phase over all workers (default 2000)")
    p.add_argument("--accounts", type=int, default=200,
                   help="fresh customer accounts opened for this run (default 200)")
    p.add_argument("--seed", type=int, default=None, help="seed for the random pairs")


def run(args: argparse.Namespace) -> int:
    url = getattr(args, "sub_url", None) or args.url or os.environ.get("CBS_DATABASE_URL")
    if not url:
        print("cbs bench ledger: give --url (it writes bench accounts into that database)",
              file=sys.stderr)
        return 2
    if args.workers < 1 or args.transfers < args.workers or args.accounts < 2:
        print("cbs bench ledger: need workers >= 1, transfers >= workers, accounts >= 2",
              file=sys.stderr)
        return 2
    figures = measure(url, workers=args.workers, transfers=args.transfers,
                      n_accounts=args.accounts, seed=args.seed)
    if args.json:
        _stats.print_json(figures)
    else:
        _print_table(figures)
    return 0 if figures["invariants"]["ok"] else 1


def _plans(bank: _ledger_setup.BenchBank, workers: int, per_worker: int,
           rng: random.Random) -> list[dict[str, tuple[Op, ...]]]:
    """Per worker: the pair ops (shared by service and floor) and the hot ops; +1 warm-up."""
    plans = []
    for _ in range(workers):
        pairs, hot = [], []
        for _ in range(per_worker + 1):
            src, dst = rng.sample(bank.accounts, 2)
            pairs.append((src, dst, rng.randint(1, MAX_AMOUNT_MINOR)))
            hot.append((rng.choice(bank.accounts), rng.choice(bank.hot),
                        rng.randint(1, MAX_AMOUNT_MINOR)))
        plans.append({"service": tuple(pairs), "floor": tuple(pairs), "hot": tuple(hot)})
    return plans


def measure(url: str, *, workers: int, transfers: int, n_accounts: int,
            seed: int | None = None) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10]
    engine = make_engine(url)
    dialect = engine.dialect.name
    t0 = time.monotonic()
    bank = _ledger_setup.prepare(engine, n_accounts=n_accounts, tag=tag)
    setup_s = time.monotonic() - t0
    before = {a: bal for a, (bal, _) in
              _ledger_setup.balances(engine, bank.accounts + bank.hot).items()}
    per_worker = transfers // workers
    plans = _plans(bank, workers, per_worker, random.Random(seed))
    specs = [WorkerSpec(i, url, f"bench-{tag}-w{i}", f"b{tag}", bank.branch_id,
                        tuple((ph, plans[i][ph]) for ph in PHASES)) for i in range(workers)]
    reports = _run_workers(specs)
    invariants = _ledger_setup.check_invariants(engine, bank, before)
    engine.dispose()
    results = {ph: _merge(ph, [r for r in reports if r.phase == ph]) for ph in PHASES}
    service, floor = results["service"], results["floor"]
    rss = _stats.rss_peak_mb()
    worker_rss = [r.rss_peak_kib / 1024 for r in reports]
    return {
        "database": dialect, "workers": workers, "transfers": per_worker * workers,
        "accounts": n_accounts, "setup_s": round(setup_s, 2),
        "service": service.as_dict(), "floor": floor.as_dict(), "hot": results["hot"].as_dict(),
        "ratio": round(service.per_s / floor.per_s, 3) if floor.per_s else None,
        "latency_p50_ms": service.as_dict()["p50_ms"],
        "latency_p99_ms": service.as_dict()["p99_ms"],
        "rss_peak_mb": round(max([rss["self"], rss["largest_child"], *worker_rss]), 1),
        "rss_main_mb": rss["self"], "rss_worker_peak_mb": round(max(worker_rss), 1),
        # upper bound of the whole run's footprint: main + every worker at its own peak
        "rss_sum_peak_mb": round(rss["self"] + sum(
            max(r.rss_peak_kib for r in reports if r.worker == w) / 1024
            for w in range(workers)), 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "first_errors": {ph: [r.first_error for r in reports if r.phase == ph and r.first_error]
                         for ph in PHASES},
        "invariants": invariants,
    }


def _run_workers(specs: list[WorkerSpec]) -> list[PhaseReport]:
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker: no inherited engine or locks
    barrier = ctx.Barrier(len(specs))
    results = ctx.Queue()
    procs = [ctx.Process(target=run_worker, args=(s, barrier, results), daemon=True)
             for s in specs]
    for p in procs:
        p.start()
    reports: list[PhaseReport] = []
    expected = len(specs) * len(PHASES)
    deadline = time.monotonic() + RESULT_TIMEOUT_S
    while len(reports) < expected:
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                for p in procs:
                    p.kill()
                codes = [p.exitcode for p in procs]
                raise RuntimeError(f"bench worker failed (exit codes {codes})") from None
    for p in procs:
        p.join()
    return reports


def _merge(phase: str, reports: list[PhaseReport]) -> _stats.PhaseResult:
    lat: array[float] = array("d")
    for r in reports:
        lat.frombytes(r.latencies_s)
    wall = max(r.finished for r in reports) - min(r.started for r in reports)
    return _stats.PhaseResult(phase, len(lat), sum(r.errors for r in reports), wall, tuple(lat))


def _print_table(f: dict[str, Any]) -> None:
    title = (f"cbs bench ledger: {f['database']}, {f['workers']} workers, {f['transfers']} "
             f"transfers per phase, {f['accounts']} accounts (load {f['load_avg_1m']})")
    rows = []
    for ph in PHASES:
        r = f[ph]
        rows.append([ph, r["transfers_per_s"], r["p50_ms"], r["p99_ms"], r["errors"],
                     r["wall_s"]])
    _stats.print_table(title, ["phase", "transfers/s", "p50 ms", "p99 ms", "errors", "wall s"],
                       rows)
    print(f"  service / floor: {f['ratio']:.2f}" if f["ratio"] is not None else "")
    print(f"  peak RSS: {f['rss_peak_mb']} MB (main {f['rss_main_mb']}, "
          f"largest worker {f['rss_worker_peak_mb']}, all processes <= {f['rss_sum_peak_mb']})")
    inv = f["invariants"]
    print("  ledger invariants: " + ("ok" if inv["ok"] else f"BROKEN {inv}"))
    for ph, errs in f["first_errors"].items():
        for e in errs[:3]:
            print(f"  first error ({ph}): {e}")
