"""`cbs bench <scenario>`: benchmarks that print figures beside a baseline from the same run.

The scenarios live in app/bench/<name>.py; this module only dispatches to them.
"""

from __future__ import annotations

import argparse

from app import bench
from app.commands.common import add_url


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="benchmarks (figures with a same-run baseline)")
    scenarios = p.add_subparsers(dest="bench_name", required=True)
    for name in bench.scenario_names():
        module = bench.load(name)
        sp = scenarios.add_parser(name, help=module.HELP)
        add_url(sp)
        sp.add_argument("--json", action="store_true", help="print one JSON object")
        module.add_arguments(sp)
        sp.set_defaults(func=module.run)
