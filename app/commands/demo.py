"""`cbs demo`: build the demo bank (default ~1,000 customers, 90 days) or a large benchmark set."""

from __future__ import annotations

import argparse

from app import demo, migrate, settings
from app.commands.common import add_url, url_of
from core import errors


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="build a demo bank with customers, accounts and history")
    add_url(p)
    p.add_argument("--customers", type=int, default=demo.DEFAULT_CUSTOMERS,
                   help="number of customers (about two accounts each); default %(default)s")
    p.add_argument("--days", type=int, default=None,
                   help="days of history up to today (default 90; fewer above "
                        "20,000 customers)")
    p.add_argument("--seed", type=int, default=demo.DEFAULT_SEED,
                   help="random seed: the same seed builds the same bank")
    p.add_argument("--reset", action="store_true",
                   help="drop every table of the database first (a SQLite file is deleted)")
    p.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    url = url_of(args)
    days = demo.default_days(args.customers) if args.days is None else args.days
    demo.check_size(args.customers, days)  # refuse before the database is touched
    if args.reset:
        demo.reset_database(url)
    elif demo.has_bank(url):
        raise errors.DemoBankExists(bank=_safe(url))
    migrate.upgrade(url)
    workstation = settings.load(url, args.workstation).workstation
    print(f"building the demo bank in {_safe(url)}", flush=True)
    result = demo.build_demo(url, customers=args.customers, days=days, seed=args.seed,
                             workstation=workstation,
                             progress=lambda line: print(line, flush=True))
    print(f"done: {result.customers:,} customers, {result.accounts:,} accounts, "
          f"{result.entries:,} journal entries, {result.postings:,} postings over "
          f"{result.days} days in {result.seconds:.1f} s; peak RSS {result.peak_rss_mib:.0f} MiB")
    print(f"users (password {demo.DEMO_PASSWORD}): "
          + ", ".join(f"{u} ({role})" for u, _, role in demo.DEMO_USERS))
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    from core.db import normalize_url

    return make_url(normalize_url(url)).render_as_string(hide_password=True)
