"""`cbs db upgrade|check`: schema migrations on SQLite or PostgreSQL."""

from __future__ import annotations

import argparse
import sys

from app import migrate
from app.commands.common import add_url, url_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="database schema")
    dbsub = p.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply migrations up to the newest")
    add_url(up)
    up.add_argument("--revision", default="head")
    up.set_defaults(func=_upgrade)
    ck = dbsub.add_parser("check", help="fail if the models and the migrations differ")
    add_url(ck)
    ck.set_defaults(func=_check)
    gr = dbsub.add_parser("grant-app-role",
                          help="PostgreSQL: an application role that cannot rewrite the audit trail")
    add_url(gr)
    gr.add_argument("role")
    gr.add_argument("--set-password", action="store_true",
                    help="ask for the role's login password (typed, never on the command line)")
    gr.set_defaults(func=_grant_app_role)


def _upgrade(args: argparse.Namespace) -> int:
    url = url_of(args)
    migrate.upgrade(url, args.revision)
    print(f"database at {args.revision}: {_safe(url)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    migrate.check(url_of(args))
    print("models and migrations agree")
    return 0


def _grant_app_role(args: argparse.Namespace) -> int:
    import getpass

    from app import db_roles

    url = url_of(args)
    password = None
    if args.set_password:
        password = getpass.getpass(f"password for {args.role}: ")
        if not password or password != getpass.getpass("again: "):
            print("cbs: the passwords are empty or differ", file=sys.stderr)
            return 2
    try:
        done = db_roles.grant_app_role(url, args.role, password)
    except ValueError as exc:
        print(f"cbs: {exc}", file=sys.stderr)
        return 2
    for stmt in done:
        print(stmt)
    print(f"role {args.role}: may read and append, may not rewrite audit events or postings")
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
