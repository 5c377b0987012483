"""`cbs bench search`: search-as-you-type latency over a large customer base.

For each database (SQLite, PostgreSQL) the run makes sure the bench database holds at least
--customers customers (bulk-loading the missing ones), then replays typing sessions: prefixes of
names, account numbers, phones and ID numbers, one query per keystroke from the second
character, through the lookup service (core.services.teller.lookup.search_customers) exactly as
the screen calls it. Beside it, the baseline: the same typed prefixes answered by the LIKE scans
one would write, run while the search indexes are dropped (they are built again right after,
and their build time is reported). p50/p95 in milliseconds per field and overall.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date
from typing import Any

from sqlalchemy import text

import core.models  # noqa: F401 - every table known to the metadata
from app.bench import _search_data as search_data
from core.clock import Clock
from core.db import Base, make_engine
from core.search_index import id_key_sql, phone_key_sql
from core.services import setup
from core.services.authz import SYSTEM
from core.services.teller import lookup
from core.unit_of_work import Actor, CoreContext

TARGET_P95_MS = 50.0
FIELDS = ("name", "account", "phone", "id")
TELLER = Actor("bench-teller", role="teller", permissions=frozenset({"teller.session"}))


def _ensure_bank(ctx: CoreContext) -> None:
    with ctx.engine.connect() as conn:
        ready = conn.execute(text("SELECT count(*) FROM bank_calendar")).scalar_one()
    if not ready:
        ctx.run(setup.init_bank, SYSTEM, bank_name="Bench Bank", base_currency="USD",
                business_date=date.today())
        ctx.run(setup.create_branch, SYSTEM, code="BENCH", name="Bench branch",
                currencies=("USD",))


def _typing(sample: dict[str, str], field: str) -> list[str]:
    """What the teller types, keystroke by keystroke from the second character."""
    full = sample[field]
    if field == "name":
        full = full[:12]
    elif field in ("account", "phone"):
        full = full[:8]
    else:
        full = full[:7]
    return [full[:k] for k in range(2, len(full) + 1)]


def _samples(ctx: CoreContext, n: int, rng: random.Random) -> list[dict[str, str]]:
    phone, ident = phone_key_sql("c.phone"), id_key_sql("c.national_id")
    with ctx.engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM customers")).scalar_one()
        out = []
        while len(out) < n:
            row = conn.execute(text(
                f"SELECT c.full_name, a.number, {phone} AS phone, {ident} AS ident "
                "FROM customers c JOIN accounts a ON a.customer_id = c.id "
                "WHERE c.id >= :i ORDER BY c.id LIMIT 1"), {"i": rng.randrange(1, top + 1)}).first()
            if row and row.phone and row.ident:
                out.append({"name": row.full_name, "account": row.number, "phone": row.phone,
                            "id": row.ident})
    return out


def _baseline_query(ctx: CoreContext, field: str, typed: str) -> None:
    """The query without the search indexes: a LIKE scan, first 20 in id order."""
    if field == "name":
        words = lookup.name_words(typed)
        if not words:
            return
        where = " AND ".join(f"lower(full_name) LIKE :w{i}" for i in range(len(words)))
        params: dict[str, Any] = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
        sql = f"SELECT id FROM customers WHERE {where} ORDER BY id LIMIT 20"
    elif field == "account":
        sql = "SELECT id FROM accounts WHERE number LIKE :p ORDER BY id LIMIT 20"
        params = {"p": typed + "%"}
    else:
        key = phone_key_sql() if field == "phone" else id_key_sql()
        sql = f"SELECT id FROM customers WHERE {key} LIKE :p ORDER BY id LIMIT 20"
        params = {"p": typed.upper() + "%"}
    with ctx.engine.connect() as conn:
        conn.execute(text(sql), params).all()


def _stats(ms: list[float]) -> dict[str, Any]:
    if not ms:
        return {"queries": 0}
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"queries": len(ms), "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(p95, 2), "max_ms": round(ordered[-1], 2)}


def _measure(ctx: CoreContext, samples: list[dict[str, str]], baseline: bool
             ) -> dict[str, Any]:
    per_field: dict[str, list[float]] = {f: [] for f in FIELDS}
    for sample in samples:
        for field in FIELDS:
            for typed in _typing(sample, field):
                t0 = time.perf_counter()
                if baseline:
                    _baseline_query(ctx, field, typed)
                else:
                    ctx.read(lookup.search_customers, TELLER, query=typed, limit=20)
                per_field[field].append((time.perf_counter() - t0) * 1000)
    out = {f: _stats(v) for f, v in per_field.items()}
    out["all"] = _stats([x for v in per_field.values() for x in v])
    return out


def _noop(uow: Any) -> int:
    return int(uow.conn.execute(text("SELECT 1")).scalar_one())


def _overhead(ctx: CoreContext, n: int = 50) -> dict[str, Any]:
    """What any read use case costs before its queries (pool checkout, BEGIN, ROLLBACK)."""
    ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        ctx.read(_noop, TELLER)
        ms.append((time.perf_counter() - t0) * 1000)
    return _stats(ms)


def bench_database(url: str, customers: int, samples: int, baseline_samples: int,
                   seed: int) -> dict[str, Any]:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="bench-search")
    try:
        _ensure_bank(ctx)
        have = search_data.count_customers(engine)
        load_s = 0.0
        if have < customers:
            t0 = time.perf_counter()
            search_data.bulk_load(engine, customers - have)
            load_s = time.perf_counter() - t0
        rng = random.Random(seed)
        chosen = _samples(ctx, max(samples, baseline_samples), rng)
        # Baseline first, with the search indexes dropped, then built once for the real run.
        search_data.drop_search_indexes(engine)
        base = _measure(ctx, chosen[:baseline_samples], baseline=True)
        t0 = time.perf_counter()
        search_data.build_search_indexes(engine)
        index_s = time.perf_counter() - t0
        ctx.read(lookup.search_customers, TELLER, query="warm up")
        indexed = _measure(ctx, chosen[:samples], baseline=False)
        return {"use_case_overhead": _overhead(ctx),"customers": search_data.count_customers(engine), "load_s": round(load_s, 1),
                "index_build_s": round(index_s, 1),
                "indexed": indexed, "without_indexes": base,
                "meets_target": indexed["all"].get("p95_ms", 1e9) <= TARGET_P95_MS}
    finally:
        engine.dispose()


def _pg_bench_url(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


HELP = "customer search-as-you-type latency, with and without the search indexes"


def run(args: argparse.Namespace) -> int:
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name, db in result["databases"].items():
        if "skipped" in db:
            print(f"{name}: skipped ({db['skipped']})")
            continue
        print(f"{name}: {db['customers']:,} customers (loaded in {db['load_s']} s, search "
              f"indexes built in {db['index_build_s']} s; an empty read use case costs "
              f"p50 {db['use_case_overhead']['p50_ms']} ms)")
        for field in ("name", "account", "phone", "id", "all"):
            a, b = db["indexed"][field], db["without_indexes"][field]
            print(f"  {field:8} indexed p50 {a.get('p50_ms')} ms p95 {a.get('p95_ms')} ms"
                  f" ({a['queries']} q) | without p50 {b.get('p50_ms')} ms"
                  f" p95 {b.get('p95_ms')} ms ({b['queries']} q)")
    return 0


def measure(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"bench": "search", "target_p95_ms": TARGET_P95_MS,
                              "customers_asked": args.customers, "databases": {}}
    if not args.no_sqlite:
        url = f"sqlite:///{args.sqlite}"
        result["databases"]["sqlite"] = bench_database(
            url, args.customers, args.samples, args.baseline_samples, args.seed)
    if not args.no_postgres:
        try:
            url = _pg_bench_url(args.pg_admin, args.pg_db)
        except Exception as exc:  # noqa: BLE001 - report and carry on with SQLite's figures
            result["databases"]["postgresql"] = {"skipped": f"{type(exc).__name__}: {exc}"}
        else:
            result["databases"]["postgresql"] = bench_database(
                url, args.customers, args.samples, args.baseline_samples, args.seed)
    return result


def add_arguments(p: argparse.ArgumentParser) -> None:
    from app import paths

    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=12, help="typing sessions per field")
    p.add_argument("--baseline-samples", type=int, default=2,
                   help="typing sessions per field for the (slow) baseline")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--sqlite", default=str(paths.user_data_dir() / "bench-search.sqlite3"),
                   help="SQLite bench file (created and filled when short of customers)")
    p.add_argument("--pg-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--pg-db", default="cbs_bench_search")
    p.add_argument("--no-sqlite", action="store_true")
    p.add_argument("--no-postgres", action="store_true")
