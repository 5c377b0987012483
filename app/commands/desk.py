"""`cbs desk`: open the desktop application."""

from __future__ import annotations

import argparse

from app.commands.common import add_url


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("desk", help="open the desktop application")
    add_url(p)
    p.add_argument("--demo", action="store_true",
                   help="build the demo bank in the database first when it is empty")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--section", metavar="KEY",
                   help="open this section first when the role allows it (e.g. accounts, "
                        "forex, sanctions_hits, users, audit)")
    p.set_defaults(func=_desk)


def _desk(args: argparse.Namespace) -> int:
    from app.main import run_desk  # Qt loads only for the desktop, not for every command

    return run_desk(getattr(args, "sub_url", None) or args.url, demo=args.demo,
                    theme=args.theme, workstation=args.workstation, section=args.section)
