"""Permission checks inside services: hiding a button is not a check."""

from __future__ import annotations

from core import errors
from core.unit_of_work import Actor, UnitOfWork

ALL = "*"
SYSTEM = Actor(username="system", role="system", permissions=frozenset({ALL}))


def allowed(actor: Actor, permission: str) -> bool:
    return ALL in actor.permissions or permission in actor.permissions


def require(uow: UnitOfWork, permission: str) -> None:
    if not allowed(uow.actor, permission):
        raise errors.PermissionDenied(user=uow.actor.username, action=permission)
