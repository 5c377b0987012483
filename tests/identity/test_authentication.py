"""Logging in: wrong password, lockout and its expiry, disabled, forced change, reuse, TOTP."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pyotp
import pytest

from core import errors, limits
from core.services import authentication, customers, identity, passwords
from core.services.authz import ANONYMOUS, SYSTEM
from tests.identity.conftest import NEW_PASSWORD, PASSWORD


def test_login_gives_the_roles_permissions_and_branch(idbank):
    session = idbank.login("teller")
    assert session.actor.role == "teller" and session.actor.branch_id == idbank.hq
    assert "ledger.transfer" in session.actor.permissions
    assert "users.create" not in session.actor.permissions
    assert not session.must_change_password and session.workstation == "test-ws"
    assert idbank.audit_count("auth.login", "ok") >= 1


def test_first_login_forces_a_change_and_grants_nothing_until_then(idbank):
    idbank.add_user("newbie", "teller", activate=False)
    first = idbank.login("newbie", PASSWORD)
    assert first.must_change_password and first.actor.permissions == frozenset()
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.run(customers.create_customer, first.actor, kind="person",
                       full_name="Grace Hopper", branch_id=idbank.hq)
    idbank.ctx.run(authentication.change_password, first.actor, username="newbie",
                   current_password=PASSWORD, new_password=NEW_PASSWORD)
    again = idbank.login("newbie")
    assert not again.must_change_password and "customers.create" in again.actor.permissions


def test_wrong_password_is_refused_counted_and_audited(idbank):
    before = idbank.audit_count("auth.login_failed", "refused")
    with pytest.raises(errors.AuthenticationFailed):
        idbank.login("teller", "Wrong-Passw0rd!")
    assert idbank.audit_count("auth.login_failed", "refused") == before + 1
    user = idbank.ctx.read(identity.get_user, SYSTEM, username="teller")
    assert user.failed_attempts == 1
    idbank.login("teller")  # a success clears the counter
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").failed_attempts == 0


def test_unknown_user_gets_the_same_error_and_is_audited(idbank):
    with pytest.raises(errors.AuthenticationFailed):
        idbank.login("nobody")
    assert idbank.audit_count("auth.login_failed", "refused") == 1


def test_lockout_after_five_failures_for_thirty_minutes(idbank):
    for _ in range(limits.MAX_FAILED_LOGINS):
        with pytest.raises(errors.AuthenticationFailed):
            idbank.login("teller", "Wrong-Passw0rd!")
    assert idbank.audit_count("auth.lockout") == 1
    with pytest.raises(errors.AccountLocked):
        idbank.login("teller")  # even the right password
    idbank.advance(limits.LOCKOUT_MINUTES - 1)
    with pytest.raises(errors.AccountLocked):
        idbank.login("teller")
    idbank.advance(1)
    assert idbank.login("teller").user.username == "teller"
    assert idbank.audit_count("auth.login_failed", "refused") == limits.MAX_FAILED_LOGINS + 2


def test_failures_after_an_expired_lock_count_from_zero(idbank):
    for _ in range(limits.MAX_FAILED_LOGINS):
        with pytest.raises(errors.AuthenticationFailed):
            idbank.login("teller", "Wrong-Passw0rd!")
    idbank.advance(limits.LOCKOUT_MINUTES)
    with pytest.raises(errors.AuthenticationFailed):
        idbank.login("teller", "Wrong-Passw0rd!")
    user = idbank.ctx.read(identity.get_user, SYSTEM, username="teller")
    assert user.failed_attempts == 1 and user.locked_until is None


def test_administrator_unlocks(idbank):
    for _ in range(limits.MAX_FAILED_LOGINS):
        with pytest.raises(errors.AuthenticationFailed):
            idbank.login("teller", "Wrong-Passw0rd!")
    admin = idbank.actor("administrator")
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.run(identity.unlock_user, idbank.actor("manager"), username="teller")
    idbank.ctx.run(identity.unlock_user, admin, username="teller")
    assert idbank.login("teller").actor.username == "teller"


def test_disabled_user_cannot_log_in(idbank):
    admin = idbank.actor("administrator")
    idbank.ctx.run(identity.set_user_active, admin, username="teller", active=False,
                   reason="left the bank")
    with pytest.raises(errors.UserDisabled):
        idbank.login("teller")
    assert idbank.audit_count("users.disable") == 1
    assert idbank.audit_count("auth.login_failed", "refused") == 1


def test_reset_forces_a_change_and_expiry_too(idbank):
    admin = idbank.actor("administrator")
    idbank.ctx.run(identity.reset_password, admin, username="teller",
                   new_password="Temporary-Passw0rd!")
    assert idbank.login("teller", "Temporary-Passw0rd!").must_change_password
    idbank.ctx.run(authentication.change_password, ANONYMOUS, username="teller",
                   current_password="Temporary-Passw0rd!", new_password="Fresh-Passw0rd-1")
    assert not idbank.login("teller", "Fresh-Passw0rd-1").must_change_password
    idbank.advance(limits.PASSWORD_MAX_AGE_DAYS * 24 * 60)
    expired = idbank.login("teller", "Fresh-Passw0rd-1")
    assert expired.must_change_password and not expired.actor.permissions


@pytest.mark.parametrize("bad, code", [
    ("Short-1!", "password_policy"),
    ("alllowercaseletters", "password_policy"),
    ("Teller-Passw0rd-X", "password_policy"),  # contains the user name
    (NEW_PASSWORD, "password_reused"),
    (PASSWORD, "password_reused"),
])
def test_password_policy_and_history(idbank, bad, code):
    with pytest.raises(errors.DomainError) as info:
        idbank.ctx.run(authentication.change_password, ANONYMOUS, username="teller",
                       current_password=NEW_PASSWORD, new_password=bad)
    assert info.value.code == code
    assert idbank.login("teller").actor.username == "teller"  # nothing changed


def test_history_keeps_the_last_five(idbank):
    current = NEW_PASSWORD
    for n in range(limits.PASSWORD_HISTORY_DEPTH):
        nxt = f"Rotation-Passw0rd-{n}"
        idbank.ctx.run(authentication.change_password, ANONYMOUS, username="teller",
                       current_password=current, new_password=nxt)
        current = nxt
    # PASSWORD and NEW_PASSWORD have left the last five: allowed again
    idbank.ctx.run(authentication.change_password, ANONYMOUS, username="teller",
                   current_password=current, new_password=NEW_PASSWORD)


def test_totp_enrol_confirm_then_required(idbank):
    me = idbank.actor("teller")
    enrol = idbank.ctx.run(authentication.enrol_totp, me)
    assert enrol.qr_png.startswith(b"\x89PNG") and enrol.uri.startswith("otpauth://totp/")
    totp = pyotp.TOTP(enrol.secret)
    with pytest.raises(errors.TotpInvalid):
        idbank.ctx.run(authentication.confirm_totp, me, code="000000"
                       if totp.at(idbank.clock.now()) != "000000" else "111111")
    idbank.ctx.run(authentication.confirm_totp, me, code=totp.at(idbank.clock.now()))
    with pytest.raises(errors.TotpRequired):
        idbank.login("teller")
    idbank.advance(5)
    stale = totp.at(idbank.clock.now() - timedelta(minutes=5))
    with pytest.raises(errors.TotpInvalid):
        idbank.login("teller", totp_code=stale)
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").failed_attempts == 1
    code = totp.at(idbank.clock.now())
    ok = idbank.login("teller", totp_code=code)
    assert ok.user.totp_enabled
    with pytest.raises(errors.TotpInvalid):  # a code is good once, even within its 30 s
        idbank.login("teller", totp_code=code)
    idbank.advance(0.5)
    assert idbank.login("teller", totp_code=totp.at(idbank.clock.now())).user.totp_enabled


def test_logout_ends_the_session_once(idbank):
    session = idbank.login("teller")
    idbank.ctx.run(authentication.logout, session.actor, session_id=session.session_id)
    assert idbank.audit_count("auth.logout") == 1
    with pytest.raises(errors.UnknownSession):
        idbank.ctx.run(authentication.logout, session.actor, session_id=session.session_id)


def test_supervisor_override(idbank):
    teller = idbank.actor("teller")
    ok = idbank.ctx.run(authentication.verify_supervisor, teller, username="head.teller",
                        password=NEW_PASSWORD, permission="ledger.reverse")
    assert ok.supervisor == "head.teller"
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.run(authentication.verify_supervisor, teller, username="head.teller",
                       password=NEW_PASSWORD, permission="users.create")
    with pytest.raises(errors.AuthenticationFailed):
        idbank.ctx.run(authentication.verify_supervisor, teller, username="head.teller",
                       password="Wrong-Passw0rd!", permission="ledger.reverse")
    with pytest.raises(errors.MakerCannotDecide):
        idbank.ctx.run(authentication.verify_supervisor, teller, username="teller",
                       password=NEW_PASSWORD, permission="ledger.post")
    assert idbank.audit_count("auth.supervisor_override", "ok") == 1
    assert idbank.audit_count("auth.supervisor_override", "refused") == 2
    assert idbank.audit_count("auth.login_failed", "refused") == 1


def test_production_hasher_is_argon2id_at_owasp_parameters():
    h = passwords.owasp_hasher()
    assert (h.memory_cost, h.time_cost, h.parallelism) == (19 * 1024, 2, 1)
    assert h.hash("Some-Passw0rd!").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_weaker_stored_hash_is_upgraded_on_login(idbank, cheap_hasher):
    owasp = passwords.owasp_hasher()
    idbank.login("teller", hasher=owasp)
    with idbank.ctx.engine.connect() as conn:
        from sqlalchemy import text
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username='teller'")
                              ).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_demo_users_may_start_with_a_permanent_password(idbank):
    """create_user(temporary=False) is for the demo and the first administrator: set-up only."""
    admin = idbank.actor("administrator")
    idbank.ctx.run(identity.create_user, SYSTEM, username="demo.teller", full_name="Demo Teller",
                   role="teller", branch_id=idbank.hq, password="Demo-Passw0rd-2026",
                   temporary=False)
    assert not idbank.login("demo.teller", "Demo-Passw0rd-2026").must_change_password
    limited = dataclasses.replace(admin, permissions=admin.permissions - {"admin.setup"})
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.run(identity.create_user, limited, username="x.y", full_name="X Y",
                       role="teller", branch_id=idbank.hq, password="Demo-Passw0rd-2026",
                       temporary=False)
