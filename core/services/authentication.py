"""Logging in and out, password change, lockout, TOTP second factor, supervisor overrides.

Failures are refusals (DomainError, nothing written by the refused use case); what must survive
them (the failed-attempt counter, the lockout, the audit event) is written by the follow-up
`record_login_failure` in its own transaction (see CoreContext._follow_up).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import datetime, timedelta

import pyotp
import qrcode
from argon2 import PasswordHasher

from core import errors, limits
from core.dto import SessionDTO, SupervisorApprovalDTO, TotpEnrolmentDTO, UserDTO
from core.models.identity import User, UserSession
from core.rules import passwords as policy
from core.services import audit, authz, identity, passwords
from core.unit_of_work import Actor, UnitOfWork

TOTP_ISSUER = "CBS Python"


def actor_for(uow: UnitOfWork, user: User, *, restricted: bool = False) -> Actor:
    """The acting identity: the role's permissions (none until a forced change is done)."""
    role = identity.user_dto(uow, user).role
    perms = frozenset() if restricted else identity.role_permissions(uow, user.role_id)
    return Actor(username=user.username, role=role, branch_id=user.branch_id, user_id=user.id,
                 permissions=perms)


def _failure(exc: errors.DomainError, username: str, reason: str) -> errors.DomainError:
    exc.followup = (record_login_failure,  # type: ignore[attr-defined]
                    {"username": username, "reason": reason, "code": exc.code})
    return exc


def _who(uow: UnitOfWork, username: str) -> str:
    """A login attempt is recorded under the name typed (the session has no user yet)."""
    return username if uow.actor.user_id is None else uow.actor.username


def record_login_failure(uow: UnitOfWork, *, username: str, reason: str, code: str) -> None:
    """Count a failed attempt, lock at the limit, audit both (follow-up of a refused login)."""
    name = identity.normalize_username(username)
    user = identity.find_user(uow, name, for_update=True)
    now = uow.clock.now()
    payload: dict[str, object] = {"username": name, "reason": reason, "code": code}
    counts = reason in ("wrong_password", "wrong_totp")
    if user is not None and counts:
        if user.locked_until is not None and user.locked_until <= now:
            user.failed_attempts, user.locked_until = 0, None  # an expired lock starts afresh
        user.failed_attempts += 1
        payload["failed_attempts"] = user.failed_attempts
    audit.append(uow, action="auth.login_failed", entity_type="user",
                 entity_id=user.id if user else name, payload=payload, outcome="refused",
                 actor=_who(uow, name))
    if user is not None and counts and user.failed_attempts >= limits.MAX_FAILED_LOGINS \
            and user.locked_until is None:
        user.locked_until = now + timedelta(minutes=limits.LOCKOUT_MINUTES)
        uow.session.flush()
        audit.append(uow, action="auth.lockout", entity_type="user", entity_id=user.id,
                     payload={"username": name, "failed_attempts": user.failed_attempts,
                              "locked_until": user.locked_until.isoformat()},
                     actor=_who(uow, name))
    uow.session.flush()


def _check_credentials(uow: UnitOfWork, username: str, password: str,
                       hasher: PasswordHasher | None) -> User:
    """The user whose password this is, or a refusal that records the failure."""
    name = identity.normalize_username(username)
    user = identity.find_user(uow, name, for_update=True)
    if user is None:
        passwords.burn_time(password, hasher)
        raise _failure(errors.AuthenticationFailed(), name, "unknown_user")
    now = uow.clock.now()
    if user.locked_until is not None and user.locked_until > now:
        until = user.locked_until.strftime("%Y-%m-%d %H:%M")
        raise _failure(errors.AccountLocked(user=name, until=until), name, "locked")
    if not passwords.verify(user.password_hash, password, hasher):
        raise _failure(errors.AuthenticationFailed(), name, "wrong_password")
    if not user.active:
        raise _failure(errors.UserDisabled(user=name), name, "disabled")
    if passwords.needs_rehash(user.password_hash, hasher):
        user.password_hash = passwords.hash_password(password, hasher)
    return user


def _check_totp(uow: UnitOfWork, user: User, code: str | None) -> None:
    if not user.totp_enabled:
        return
    if not code:
        raise _failure(errors.TotpRequired(), user.username, "totp_missing")
    assert user.totp_secret is not None
    step = totp_step(user.totp_secret, code, uow.clock.now())
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        raise _failure(errors.TotpInvalid(), user.username, "wrong_totp")
    user.totp_last_step = step


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (within the drift window), or None."""
    totp = pyotp.TOTP(secret)
    here = totp.timecode(now)
    for step in range(here - limits.TOTP_VALID_WINDOW_STEPS,
                      here + limits.TOTP_VALID_WINDOW_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), code.strip()):
            return step
    return None


def authenticate(uow: UnitOfWork, *, username: str, password: str, totp_code: str | None = None,
                 workstation: str | None = None,
                 hasher: PasswordHasher | None = None) -> SessionDTO:
    """Log in: a session and the Actor to run use cases as."""
    user = _check_credentials(uow, username, password, hasher)
    _check_totp(uow, user, totp_code)
    now = uow.clock.now()
    must_change = user.must_change_password or identity.password_expired(user, now)
    user.failed_attempts, user.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    where = (workstation or uow.workstation)[:80]
    session = UserSession(user_id=user.id, workstation=where, started_at=now,
                          token_hash=hashlib.sha256(token.encode()).digest())
    uow.session.add(session)
    uow.session.flush()
    audit.append(uow, action="auth.login", entity_type="user", entity_id=user.id,
                 payload={"username": user.username, "session_id": session.id,
                          "workstation": where, "must_change_password": must_change},
                 actor=user.username)
    return SessionDTO(session.id, token, identity.user_dto(uow, user),
                      actor_for(uow, user, restricted=must_change), where, now, must_change)


def logout(uow: UnitOfWork, *, session_id: int, reason: str = "logout") -> None:
    session = uow.session.get(UserSession, session_id, with_for_update=True)
    if session is None or session.ended_at is not None:
        raise errors.UnknownSession(session=session_id)
    if session.user_id != uow.actor.user_id:
        authz.require(uow, "users.disable")  # ending someone else's session is admin work
    session.ended_at, session.end_reason = uow.clock.now(), reason[:20]
    uow.session.flush()
    audit.append(uow, action="auth.logout", entity_type="user", entity_id=session.user_id,
                 payload={"session_id": session_id, "reason": reason,
                          "workstation": session.workstation})


def change_password(uow: UnitOfWork, *, username: str, current_password: str,
                    new_password: str, hasher: PasswordHasher | None = None) -> UserDTO:
    """The user changes their own password (the forced change at first login goes here)."""
    user = _check_credentials(uow, username, current_password, hasher)
    policy.check_policy(new_password, user.username)
    identity.check_history(uow, user, new_password, hasher)
    identity.set_password(uow, user, passwords.hash_password(new_password, hasher),
                          must_change=False)
    user.failed_attempts, user.locked_until = 0, None
    user.updated_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="auth.change_password", entity_type="user", entity_id=user.id,
                 payload={"username": user.username}, actor=_who(uow, user.username))
    return identity.user_dto(uow, user)


# --- TOTP second factor ---------------------------------------------------------------------------
def _self(uow: UnitOfWork) -> User:
    if uow.actor.user_id is None:
        raise errors.InvalidInput(field="user", reason="log in as the user who enrols")
    user = uow.session.get(User, uow.actor.user_id, with_for_update=True)
    if user is None:
        raise errors.UnknownUser(user=uow.actor.username)
    return user


def enrol_totp(uow: UnitOfWork) -> TotpEnrolmentDTO:
    """Start enrolment for the logged-in user: a new secret, its URI and QR code (PNG)."""
    user = _self(uow)
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, False, None
    user.updated_at = uow.clock.now()
    uow.session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    audit.append(uow, action="auth.totp_enrol", entity_type="user", entity_id=user.id,
                 payload={"username": user.username})
    return TotpEnrolmentDTO(secret, uri, qr_png(uri))


def qr_png(data: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(data, box_size=6, border=2).save(buf, format="PNG")
    return buf.getvalue()


def confirm_totp(uow: UnitOfWork, *, code: str) -> UserDTO:
    """A code from the device proves the enrolment: from now on the login asks for one."""
    user = _self(uow)
    if user.totp_secret is None:
        raise errors.TotpNotEnrolled(user=user.username)
    step = totp_step(user.totp_secret, code, uow.clock.now())
    if step is None:
        raise authz.audited(errors.TotpInvalid(), action="auth.totp_confirm",
                            entity_type="user", entity_id=user.id)
    user.totp_enabled, user.totp_last_step = True, step
    user.updated_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="auth.totp_confirm", entity_type="user", entity_id=user.id,
                 payload={"username": user.username})
    return identity.user_dto(uow, user)


def disable_totp(uow: UnitOfWork, *, username: str) -> UserDTO:
    """An administrator removes a lost device (the user enrols again)."""
    authz.require(uow, "users.reset_password")
    user = identity.load_user(uow, username)
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    user.updated_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="auth.totp_disable", entity_type="user", entity_id=user.id,
                 payload={"username": user.username})
    return identity.user_dto(uow, user)


# --- supervisor override ---------------------------------------------------------------------------
def verify_supervisor(uow: UnitOfWork, *, username: str, password: str, permission: str,
                      hasher: PasswordHasher | None = None) -> SupervisorApprovalDTO:
    """A supervisor types their password at someone else's desk to allow one action."""
    user = _check_credentials(uow, username, password, hasher)
    if user.id == uow.actor.user_id or user.username == uow.actor.username:
        raise authz.audited(errors.MakerCannotDecide(user=user.username, request=permission),
                            action="auth.supervisor_override", entity_type="user",
                            entity_id=user.id)
    supervisor = actor_for(uow, user, restricted=user.must_change_password)
    if not authz.allowed(supervisor, permission):
        raise authz.audited(errors.PermissionDenied(user=user.username, action=permission),
                            action="auth.supervisor_override", entity_type="user",
                            entity_id=user.id)
    now: datetime = uow.clock.now()
    audit.append(uow, action="auth.supervisor_override", entity_type="user", entity_id=user.id,
                 payload={"supervisor": user.username, "for": uow.actor.username,
                          "permission": permission})
    return SupervisorApprovalDTO(user.username, user.id, permission, now)
