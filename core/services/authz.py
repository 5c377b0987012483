"""Permission and branch-scope checks inside services: hiding a button is not a check.

Refusals are audited: the error carries a follow-up that CoreContext runs in its own
transaction after the refused one rolled back.
"""

from __future__ import annotations

from typing import Any

from core import errors
from core.unit_of_work import Actor, UnitOfWork

ALL = "*"
ALL_BRANCHES = "branches.all"
SYSTEM = Actor(username="system", role="system", permissions=frozenset({ALL}))
ANONYMOUS = Actor(username="anonymous", role="anonymous")


def allowed(actor: Actor, permission: str) -> bool:
    return ALL in actor.permissions or permission in actor.permissions


def audited(exc: errors.DomainError, *, action: str, entity_type: str, entity_id: str | int,
            payload: dict[str, Any] | None = None) -> errors.DomainError:
    """Attach an audit follow-up to a refusal (recorded after the rollback)."""
    from core.services.audit import record_refusal

    exc.followup = (record_refusal, {  # type: ignore[attr-defined]
        "action": action, "entity_type": entity_type, "entity_id": str(entity_id),
        "payload": {"code": exc.code, **exc.params, **(payload or {})}})
    return exc


def require(uow: UnitOfWork, permission: str) -> None:
    if not allowed(uow.actor, permission):
        raise audited(errors.PermissionDenied(user=uow.actor.username, action=permission),
                      action="authz.denied", entity_type="permission", entity_id=permission)


def require_branch(uow: UnitOfWork, branch_id: int | None) -> None:
    """A user acts in their own branch unless their role may act in every branch."""
    actor = uow.actor
    if branch_id is None or allowed(actor, ALL_BRANCHES) or actor.branch_id == branch_id:
        return
    raise audited(
        errors.BranchScopeDenied(user=actor.username, own=actor.branch_id, branch=branch_id),
        action="authz.branch_denied", entity_type="branch", entity_id=branch_id)
