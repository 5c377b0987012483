"""The `cbs` command: desktop, database, demo data, benchmarks and admin/batch work."""

from __future__ import annotations

import argparse
import importlib
import sys

from app.commands import COMMAND_MODULES
from core.errors import DomainError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cbs", description="CBS Python core banking")
    parser.add_argument("--url", help="database URL (default: CBS_DATABASE_URL or the demo SQLite file)")
    parser.add_argument("--workstation", help="this workstation's name (default: host name)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DomainError as exc:
        print(f"cbs: {exc.describe()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
