"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse

from app import logging_setup, settings
from app.bootstrap import build_context
from core.unit_of_work import CoreContext


def add_url(parser: argparse.ArgumentParser) -> None:
    """Let `--url` also follow the subcommand (`cbs bench ledger --url ...`)."""
    parser.add_argument("--url", dest="sub_url", help="database URL")


def url_of(args: argparse.Namespace) -> str:
    return settings.load(getattr(args, "sub_url", None) or args.url).database_url


def context_of(args: argparse.Namespace, *, pool_size: int = 5) -> CoreContext:
    s = settings.load(getattr(args, "sub_url", None) or args.url, args.workstation)
    logging_setup.setup(s.log_level)
    return build_context(s, pool_size=pool_size)
