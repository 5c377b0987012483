"""Teller desk commands. `cbs bench-search` is temporary: it moves under `cbs bench search`
when the bench dispatcher (app/commands/bench.py) lands."""

from __future__ import annotations

import argparse
import json

from app.bench import search


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench-search", help="search-as-you-type latency, with and without indexes")
    search.add_arguments(p)
    p.set_defaults(func=_bench_search)


def _bench_search(args: argparse.Namespace) -> int:
    result = search.run(args)
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
