"""`cbs users create-admin|unlock|list`: bootstrap and rescue from the command line.

For the operator with shell access to the workstation (runs as the system actor, audited):
the first administrator of a new bank, and unlocking an administrator who locked themselves out.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.commands.common import add_url, context_of
from core.services import identity
from core.services.authz import SYSTEM

PAGE_ROWS = 200


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("users", help="users: first administrator, unlock, list")
    usub = p.add_subparsers(dest="users_command", required=True)
    ca = usub.add_parser("create-admin", help="create an administrator (password asked, "
                                              "to be changed at first login)")
    add_url(ca)
    ca.add_argument("username")
    ca.add_argument("--full-name", required=True)
    ca.set_defaults(func=_create_admin)
    un = usub.add_parser("unlock", help="clear a lockout")
    add_url(un)
    un.add_argument("username")
    un.set_defaults(func=_unlock)
    ls = usub.add_parser("list", help="users, roles and their state")
    add_url(ls)
    ls.set_defaults(func=_list)


def _create_admin(args: argparse.Namespace) -> int:
    password = getpass.getpass(f"initial password for {args.username}: ")
    if password != getpass.getpass("again: "):
        print("cbs: the passwords differ", file=sys.stderr)
        return 2
    ctx = context_of(args)
    user = ctx.run(identity.create_user, SYSTEM, username=args.username,
                   full_name=args.full_name, role="administrator", branch_id=None,
                   password=password)
    print(f"administrator {user.username} created; the password must be changed at first login")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    user = context_of(args).run(identity.unlock_user, SYSTEM, username=args.username)
    print(f"{user.username} unlocked")
    return 0


def _list(args: argparse.Namespace) -> int:
    after = ""
    ctx = context_of(args)
    while True:
        page = ctx.read(identity.list_users, SYSTEM, after_username=after, limit=PAGE_ROWS)
        for u in page:
            state = "active" if u.active else "disabled"
            if u.locked_until:
                state += f", locked until {u.locked_until:%Y-%m-%d %H:%M} UTC"
            print(f"{u.username}\t{u.role}\tbranch {u.branch_id or '-'}\t{state}")
        if len(page) < PAGE_ROWS:
            return 0
        after = page[-1].username
