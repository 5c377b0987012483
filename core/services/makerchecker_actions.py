"""The actions maker-checker can hold and execute: name -> (permission, prepare, execute).

prepare(uow, params) validates when the request is made and returns what to store (secrets
already hashed) and which record it concerns; execute(uow, params) runs on approval and returns
the ids it produced.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core import errors, money
from core.models.ledger import Account
from core.services import identity, ledger, passwords
from core.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Prepared:
    params: dict[str, Any]
    summary: str
    entity_type: str
    entity_id: str | int
    branch_id: int | None = None
    amount_minor: int | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class ApprovalAction:
    permission: str
    prepare: Callable[[UnitOfWork, dict[str, Any]], Prepared]
    execute: Callable[[UnitOfWork, dict[str, Any]], dict[str, Any]]
    # Whether the request needs approval at all; None: an enabled approval rule decides.
    needed: Callable[[UnitOfWork, Prepared], bool] | None = None


def _need(params: dict[str, Any], *names: str) -> list[Any]:
    missing = [n for n in names if n not in params]
    if missing:
        raise errors.InvalidInput(field=missing[0], reason="missing")
    return [params[n] for n in names]


# --- users.create ------------------------------------------------------------------------------
def _prepare_create_user(uow: UnitOfWork, p: dict[str, Any]) -> Prepared:
    username, full_name, role, branch_id, password = _need(
        p, "username", "full_name", "role", "branch_id", "password")
    name = identity.check_new_user(uow, username=username, full_name=full_name, role=role,
                                   branch_id=branch_id, password=password)
    stored = {"username": name, "full_name": full_name, "role": role, "branch_id": branch_id,
              "password_hash": passwords.hash_password(password)}
    return Prepared(stored, f"Create user {name} ({role})", "user", name, branch_id)


def _execute_create_user(uow: UnitOfWork, p: dict[str, Any]) -> dict[str, Any]:
    if identity.find_user(uow, p["username"]) is not None:
        raise errors.UserExists(user=p["username"])
    user = identity.insert_user(uow, username=p["username"], full_name=p["full_name"],
                                role=p["role"], branch_id=p["branch_id"],
                                password_hash=p["password_hash"])
    return {"user_id": user.user_id}


# --- users.change_role -------------------------------------------------------------------------
def _prepare_change_role(uow: UnitOfWork, p: dict[str, Any]) -> Prepared:
    username, role = _need(p, "username", "role")
    user = identity.check_change_role(uow, username=username, role=role)
    return Prepared({"username": user.username, "role": role},
                    f"Give {user.username} the role {role}", "user", user.username,
                    user.branch_id)


def _execute_change_role(uow: UnitOfWork, p: dict[str, Any]) -> dict[str, Any]:
    user = identity.change_role(uow, username=p["username"], role=p["role"])
    return {"user_id": user.user_id, "role": user.role}


# --- roles.change_permissions ------------------------------------------------------------------
def _prepare_role_permissions(uow: UnitOfWork, p: dict[str, Any]) -> Prepared:
    role, perms = _need(p, "role", "permissions")
    wanted = tuple(sorted(set(perms)))
    identity.check_role_permissions(uow, role, wanted)
    return Prepared({"role": role, "permissions": list(wanted)},
                    f"Set the permissions of role {role} ({len(wanted)})", "role", role)


def _execute_role_permissions(uow: UnitOfWork, p: dict[str, Any]) -> dict[str, Any]:
    dto = identity.change_role_permissions(uow, role=p["role"],
                                           permissions=tuple(p["permissions"]))
    return {"role": dto.name, "permissions": len(dto.permissions)}


# --- ledger.transfer above a threshold ---------------------------------------------------------
def _prepare_transfer(uow: UnitOfWork, p: dict[str, Any]) -> Prepared:
    src, dst, amount, currency = _need(p, "from_account_id", "to_account_id", "amount_minor",
                                       "currency")
    money.check_amount_minor(amount, currency)
    if src == dst:
        raise errors.SameAccountTransfer(account=src)
    accounts = {}
    for acc_id in (src, dst):
        acc = uow.session.get(Account, acc_id)
        if acc is None:
            raise errors.UnknownAccount(account=acc_id)
        if acc.currency != currency:
            raise errors.CurrencyMismatch(account=acc.number, account_currency=acc.currency,
                                          currency=currency)
        if acc.status == "closed":
            raise errors.AccountClosed(account=acc.number)
        accounts[acc_id] = acc
    memo = str(p.get("memo", ""))
    key = p.get("idempotency_key") or f"approval-{secrets.token_hex(12)}"
    stored = {"from_account_id": src, "to_account_id": dst, "amount_minor": amount,
              "currency": currency, "memo": memo, "idempotency_key": key}
    text = (f"Transfer {money.format_minor(amount, currency)} {currency} from "
            f"{accounts[src].number} to {accounts[dst].number}")
    return Prepared(stored, text, "account", src, accounts[src].branch_id, amount, currency)


def _execute_transfer(uow: UnitOfWork, p: dict[str, Any]) -> dict[str, Any]:
    entry = ledger.transfer(uow, idempotency_key=p["idempotency_key"],
                            from_account_id=p["from_account_id"],
                            to_account_id=p["to_account_id"], amount_minor=p["amount_minor"],
                            currency=p["currency"], memo=p["memo"])
    return {"entry_id": entry.entry_id, "reference": entry.reference}


ACTIONS: dict[str, ApprovalAction] = {
    "users.create": ApprovalAction("users.create", _prepare_create_user, _execute_create_user),
    "users.change_role": ApprovalAction("users.change_role", _prepare_change_role,
                                        _execute_change_role),
    "roles.change_permissions": ApprovalAction("roles.change_permissions",
                                               _prepare_role_permissions,
                                               _execute_role_permissions),
    "ledger.transfer": ApprovalAction("ledger.transfer", _prepare_transfer, _execute_transfer),
}


def _register_teller() -> None:
    """A withdrawal above the teller's limit; the checker also needs teller.override."""
    from core.services.teller import approvals

    ACTIONS[approvals.ACTION] = ApprovalAction("teller.withdraw", approvals.prepare_withdrawal,
                                               approvals.execute_withdrawal, approvals.needed)


_register_teller()
