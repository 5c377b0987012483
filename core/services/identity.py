"""Users, roles and permissions: administration use cases (authentication is in authentication.py).

Roles and permissions are rows seeded from core/rules/permissions.py and editable afterwards.
User, role and permission changes pass through maker-checker when a rule asks for it.
"""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import delete, insert, select

from core import errors, limits
from core.dto import RoleDTO, UserDTO
from core.models.identity import PasswordHistory, Permission, Role, RolePermission, User
from core.models.org import Branch
from core.rules import passwords as policy
from core.rules.permissions import DEFAULT_MATRIX, PERMISSIONS, ROLES
from core.services import audit, authz, makerchecker, passwords
from core.unit_of_work import UnitOfWork


def user_dto(uow: UnitOfWork, u: User) -> UserDTO:
    role = uow.session.get(Role, u.role_id)
    assert role is not None
    return UserDTO(u.id, u.username, u.full_name, role.name, u.branch_id, u.active,
                   u.must_change_password, u.locked_until, u.failed_attempts, u.totp_enabled,
                   u.created_at, u.updated_at)


def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(uow: UnitOfWork, username: str, *, for_update: bool = False) -> User | None:
    q = select(User).where(User.username == normalize_username(username))
    if for_update:
        q = q.with_for_update()
    return uow.session.execute(q).scalar_one_or_none()


def load_user(uow: UnitOfWork, username: str) -> User:
    user = find_user(uow, username, for_update=True)
    if user is None:
        raise errors.UnknownUser(user=username)
    return user


def role_by_name(uow: UnitOfWork, name: str) -> Role:
    role = uow.session.execute(select(Role).where(Role.name == name)).scalar_one_or_none()
    if role is None:
        raise errors.UnknownRole(role=name)
    return role


def role_permissions(uow: UnitOfWork, role_id: int) -> frozenset[str]:
    rows = uow.session.execute(
        select(Permission.name).join(RolePermission, RolePermission.permission_id == Permission.id)
        .where(RolePermission.role_id == role_id)).scalars()
    return frozenset(rows)


# --- roles and permissions ------------------------------------------------------------------------
def seed_roles(uow: UnitOfWork) -> list[RoleDTO]:
    """Create the known permissions and the five default roles where missing (never overwrites)."""
    authz.require(uow, "admin.setup")
    known = set(uow.session.execute(select(Permission.name)).scalars())
    for name, description in PERMISSIONS.items():
        if name not in known:
            uow.session.add(Permission(name=name, description=description))
    uow.session.flush()
    perm_ids = {n: i for n, i in uow.session.execute(select(Permission.name, Permission.id))}
    created = []
    for name, label in ROLES.items():
        if uow.session.execute(select(Role.id).where(Role.name == name)).first():
            continue
        role = Role(name=name, label=label)
        uow.session.add(role)
        uow.session.flush()
        uow.conn.execute(insert(RolePermission), [
            {"role_id": role.id, "permission_id": perm_ids[p]} for p in sorted(DEFAULT_MATRIX[name])])
        created.append(name)
    if created or len(known) < len(PERMISSIONS):
        audit.append(uow, action="roles.seed", entity_type="role", entity_id="*",
                     payload={"created_roles": created,
                              "added_permissions": sorted(PERMISSIONS.keys() - known)})
    return list_roles(uow, _checked=True)


def list_roles(uow: UnitOfWork, *, _checked: bool = False) -> list[RoleDTO]:
    if not _checked:
        authz.require(uow, "roles.view")
    roles = uow.session.execute(select(Role).order_by(Role.id)).scalars().all()
    return [RoleDTO(r.name, r.label, tuple(sorted(role_permissions(uow, r.id)))) for r in roles]


def list_permissions(uow: UnitOfWork) -> list[tuple[str, str]]:
    authz.require(uow, "roles.view")
    rows = uow.session.execute(select(Permission.name, Permission.description)
                               .order_by(Permission.name))
    return [(name, description) for name, description in rows]


def check_role_permissions(uow: UnitOfWork, role: str, permissions: tuple[str, ...]) -> Role:
    found = role_by_name(uow, role)
    known = set(uow.session.execute(select(Permission.name)).scalars())
    for p in permissions:
        if p not in known:
            raise errors.UnknownPermission(permission=p)
    return found


def change_role_permissions(uow: UnitOfWork, *, role: str,
                            permissions: tuple[str, ...]) -> RoleDTO:
    """Replace the permission set of a role (maker-checker: roles.change_permissions)."""
    authz.require(uow, "roles.change_permissions")
    found = check_role_permissions(uow, role, permissions)
    makerchecker.gate(uow, "roles.change_permissions")
    before = sorted(role_permissions(uow, found.id))
    ids = {n: i for n, i in uow.session.execute(select(Permission.name, Permission.id))}
    uow.session.execute(delete(RolePermission).where(RolePermission.role_id == found.id))
    wanted = sorted(set(permissions))
    if wanted:
        uow.conn.execute(insert(RolePermission), [
            {"role_id": found.id, "permission_id": ids[p]} for p in wanted])
    audit.append(uow, action="roles.change_permissions", entity_type="role", entity_id=found.name,
                 payload={"before": before, "after": wanted})
    return RoleDTO(found.name, found.label, tuple(wanted))


# --- users ------------------------------------------------------------------------------------------
def check_new_user(uow: UnitOfWork, *, username: str, full_name: str, role: str,
                   branch_id: int | None, password: str) -> str:
    """Validate a new user's fields; returns the normalised user name."""
    name = normalize_username(username)
    if not (2 <= len(name) <= limits.MAX_USERNAME_CHARS) or not all(
            c.isalnum() or c in "._-" for c in name):
        raise errors.InvalidInput(field="username",
                                  reason=f"2-{limits.MAX_USERNAME_CHARS} letters, digits, . _ -")
    if not full_name.strip() or len(full_name) > limits.MAX_NAME_CHARS:
        raise errors.InvalidInput(field="full_name", reason="a name is needed")
    role_by_name(uow, role)
    if branch_id is not None and uow.session.get(Branch, branch_id) is None:
        raise errors.UnknownBranch(branch=branch_id)
    if find_user(uow, name) is not None:
        raise errors.UserExists(user=name)
    policy.check_policy(password, name)
    return name


def create_user(uow: UnitOfWork, *, username: str, full_name: str, role: str,
                branch_id: int | None, password: str, temporary: bool = True,
                hasher: PasswordHasher | None = None) -> UserDTO:
    """A new user who must change the initial password at first login.

    temporary=False (the demo's users, a first administrator) needs admin.setup as well.
    """
    authz.require(uow, "users.create")
    if not temporary:
        authz.require(uow, "admin.setup")
    name = check_new_user(uow, username=username, full_name=full_name, role=role,
                          branch_id=branch_id, password=password)
    makerchecker.gate(uow, "users.create")
    return insert_user(uow, username=name, full_name=full_name, role=role, branch_id=branch_id,
                       password_hash=passwords.hash_password(password, hasher),
                       must_change=temporary)


def insert_user(uow: UnitOfWork, *, username: str, full_name: str, role: str,
                branch_id: int | None, password_hash: str, must_change: bool = True) -> UserDTO:
    """Write a validated user (also the executor of an approved users.create request)."""
    now = uow.clock.now()
    user = User(username=username, full_name=full_name.strip(),
                role_id=role_by_name(uow, role).id, branch_id=branch_id, active=True,
                password_hash=password_hash, password_changed_at=now,
                must_change_password=must_change,
                failed_attempts=0, totp_enabled=False, created_at=now, updated_at=now)
    uow.session.add(user)
    uow.session.flush()
    uow.session.add(PasswordHistory(user_id=user.id, password_hash=password_hash, set_at=now))
    audit.append(uow, action="users.create", entity_type="user", entity_id=user.id,
                 payload={"after": {"username": username, "full_name": user.full_name,
                                    "role": role, "branch_id": branch_id,
                                    "must_change_password": must_change}})
    return user_dto(uow, user)


def _changed(uow: UnitOfWork, user: User, action: str, before: object, after: object,
             **extra: object) -> UserDTO:
    user.updated_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action=action, entity_type="user", entity_id=user.id,
                 payload={"username": user.username, "before": before, "after": after, **extra})
    return user_dto(uow, user)


def set_user_active(uow: UnitOfWork, *, username: str, active: bool, reason: str) -> UserDTO:
    """Disable (or enable again) a user; a disabled user cannot log in."""
    authz.require(uow, "users.disable")
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="say why")
    user = load_user(uow, username)
    if user.id == uow.actor.user_id and not active:
        raise errors.InvalidInput(field="username", reason="you cannot disable yourself")
    before, user.active = user.active, active
    return _changed(uow, user, "users.disable" if not active else "users.enable", before, active,
                    reason=reason[: limits.MAX_REASON_CHARS])


def reset_password(uow: UnitOfWork, *, username: str, new_password: str,
                   hasher: PasswordHasher | None = None) -> UserDTO:
    """An administrator sets a temporary password; the user must change it at next login."""
    authz.require(uow, "users.reset_password")
    user = load_user(uow, username)
    policy.check_policy(new_password, user.username)
    set_password(uow, user, passwords.hash_password(new_password, hasher), must_change=True)
    user.failed_attempts, user.locked_until = 0, None
    return _changed(uow, user, "users.reset_password", None, "temporary password set")


def unlock_user(uow: UnitOfWork, *, username: str) -> UserDTO:
    authz.require(uow, "users.unlock")
    user = load_user(uow, username)
    before = {"failed_attempts": user.failed_attempts,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.failed_attempts, user.locked_until = 0, None
    return _changed(uow, user, "users.unlock", before, {"failed_attempts": 0})


def check_change_role(uow: UnitOfWork, *, username: str, role: str) -> User:
    user = load_user(uow, username)
    role_by_name(uow, role)
    if user.id == uow.actor.user_id:
        raise errors.InvalidInput(field="username", reason="you cannot change your own role")
    return user


def change_role(uow: UnitOfWork, *, username: str, role: str) -> UserDTO:
    authz.require(uow, "users.change_role")
    user = check_change_role(uow, username=username, role=role)
    makerchecker.gate(uow, "users.change_role")
    before = user_dto(uow, user).role
    user.role_id = role_by_name(uow, role).id
    return _changed(uow, user, "users.change_role", before, role)


def change_branch(uow: UnitOfWork, *, username: str, branch_id: int | None) -> UserDTO:
    authz.require(uow, "users.change_branch")
    user = load_user(uow, username)
    if branch_id is not None and uow.session.get(Branch, branch_id) is None:
        raise errors.UnknownBranch(branch=branch_id)
    before, user.branch_id = user.branch_id, branch_id
    return _changed(uow, user, "users.change_branch", before, branch_id)


def set_password(uow: UnitOfWork, user: User, password_hash: str, *, must_change: bool) -> None:
    now = uow.clock.now()
    user.password_hash, user.password_changed_at = password_hash, now
    user.must_change_password = must_change
    uow.session.add(PasswordHistory(user_id=user.id, password_hash=password_hash, set_at=now))


def check_history(uow: UnitOfWork, user: User, password: str,
                  hasher: PasswordHasher | None) -> None:
    recent = uow.session.execute(
        select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc()).limit(limits.PASSWORD_HISTORY_DEPTH)).scalars()
    for old in recent:
        if passwords.verify(old, password, hasher):
            raise errors.PasswordReused(count=limits.PASSWORD_HISTORY_DEPTH)


def password_expired(user: User, now: datetime) -> bool:
    return (now - user.password_changed_at).days >= limits.PASSWORD_MAX_AGE_DAYS


def get_user(uow: UnitOfWork, *, username: str) -> UserDTO:
    if normalize_username(username) != uow.actor.username:
        authz.require(uow, "users.view")
    user = find_user(uow, username)
    if user is None:
        raise errors.UnknownUser(user=username)
    return user_dto(uow, user)


def list_users(uow: UnitOfWork, *, after_username: str = "",
               limit: int = limits.MAX_PAGE_ROWS) -> list[UserDTO]:
    """Keyset page of users in user-name order."""
    authz.require(uow, "users.view")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    rows = uow.session.execute(select(User).where(User.username > after_username)
                               .order_by(User.username).limit(limit)).scalars()
    return [user_dto(uow, u) for u in rows]
