# ruff: noqa: F811 - the fixtures are imported from tests/identity and identity_fixtures
"""Login, forced password change, lockout, second factor, logout, role-filtered navigation and
the idle lock, driven through the dialogs on both databases."""

from __future__ import annotations

import pyotp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from core import limits
from core.services import authentication, identity
from core.services.authz import SYSTEM
from tests.identity.conftest import (  # noqa: F401 - fixtures
    NEW_PASSWORD,
    PASSWORD,
    cheap_hasher,
    fctx,
    idbank,
)
from tests.ui.identity_fixtures import WAIT_MS, logged_in, make_desk, type_login  # noqa: F401
from ui.lock import idle_lock_ms
from ui.messages import message_for

ADMIN_SECTIONS = ["accounts", "forex", "inbox", "users", "roles", "rules", "audit"]


def test_wrong_password_then_lockout_then_another_user_logs_in(qtbot, idbank, make_desk):
    desk = make_desk(idbank)
    for attempt in range(limits.MAX_FAILED_LOGINS):
        type_login(qtbot, desk, "teller", "Wrong-Passw0rd!")
        assert desk.login.message.text() == "Wrong user name or password.", attempt
        assert desk.window is None and desk.login.password.text() == ""
    # the right password no longer helps: the account is locked for 30 minutes
    type_login(qtbot, desk, "teller", NEW_PASSWORD)
    assert desk.window is None
    assert "teller is locked after too many failed attempts" in desk.login.message.text()
    assert idbank.audit_count("auth.lockout") == 1
    assert idbank.audit_count("auth.login_failed", "refused") == limits.MAX_FAILED_LOGINS + 1
    window = logged_in(qtbot, desk, "head.teller")
    assert not desk.login.isVisible() and window.isVisible()
    user = window.findChild(QLabel, "statusUser")
    assert "head.teller" in user.text()
    assert "Head teller" in window.findChild(QLabel, "statusRole").text()
    branch = window.findChild(QLabel, "statusBranch")
    qtbot.waitUntil(lambda: "HQ · Head office" in branch.text(), timeout=WAIT_MS)


def test_disabled_user_is_told_so(qtbot, idbank, make_desk):
    idbank.ctx.run(identity.set_user_active, SYSTEM, username="manager", active=False,
                   reason="left the bank")
    desk = make_desk(idbank)
    type_login(qtbot, desk, "manager")
    assert desk.login.message.text() == "User manager is disabled; ask an administrator."


def test_first_login_forces_a_password_change(qtbot, idbank, make_desk):
    idbank.add_user("new.teller", "teller", activate=False)
    desk = make_desk(idbank)
    type_login(qtbot, desk, "new.teller", PASSWORD)
    dialog = desk.login.change_dialog
    assert dialog is not None and dialog.isVisible() and desk.window is None
    qtbot.keyClicks(dialog.new_password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT_MS)
    assert "not acceptable" in dialog.message.text()
    dialog.new_password.clear()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.new_password, "Brand-New-Passw0rd")
    qtbot.keyClicks(dialog.repeat, "Brand-New-Passw0rd")
    dialog.ok.click()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=WAIT_MS)
    assert desk.window.shell.actor.permissions  # the full role, not the restricted actor
    assert desk.window.section_keys() == ["accounts", "teller", "forex"]
    assert not idbank.ctx.read(identity.get_user, SYSTEM,
                               username="new.teller").must_change_password


def test_second_factor_field_appears_when_the_service_asks(qtbot, idbank, make_desk):
    manager = idbank.actor("manager")
    enrol = idbank.ctx.run(authentication.enrol_totp, manager)
    totp = pyotp.TOTP(enrol.secret)
    idbank.ctx.run(authentication.confirm_totp, manager, code=totp.at(idbank.clock.at))
    idbank.advance(1)  # the next code (a code is accepted once)
    desk = make_desk(idbank)
    assert not desk.login.totp.isVisible()
    type_login(qtbot, desk, "manager")
    assert desk.login.totp.isVisible() and desk.window is None
    assert "six-digit code" in desk.login.message.text()
    type_login(qtbot, desk, "manager", code=totp.at(idbank.clock.at))
    qtbot.waitUntil(lambda: desk.window is not None, timeout=WAIT_MS)


def test_navigation_follows_the_role(qtbot, idbank, make_desk):
    desk = make_desk(idbank)
    teller = logged_in(qtbot, desk, "teller")
    assert teller.section_keys() == ["accounts", "teller", "forex"]
    desk.logout()
    assert desk.window is None and desk.login.isVisible()
    assert desk.login.message.text() == "You are logged out."
    admin = logged_in(qtbot, desk, "administrator")
    assert admin.section_keys() == ADMIN_SECTIONS
    compliance_desk = make_desk(idbank)
    compliance = logged_in(qtbot, compliance_desk, "compliance.officer")
    assert compliance.section_keys() == ["accounts", "forex", "sanctions_hits", "sanctions_lists",
                                         "inbox", "users", "roles", "audit"]
    qtbot.waitUntil(lambda: idbank.audit_count("auth.logout") == 1, timeout=WAIT_MS)


def test_logout_from_the_menu_returns_to_the_login(qtbot, idbank, make_desk):
    desk = make_desk(idbank)
    window = logged_in(qtbot, desk, "manager")
    window.logout_action.trigger()
    assert desk.window is None and desk.login.isVisible()
    assert desk.login.username.text() == "manager" and desk.login.password.text() == ""
    qtbot.waitUntil(lambda: idbank.audit_count("auth.logout") == 1, timeout=WAIT_MS)
    logged_in(qtbot, desk, "manager")
    desk.close()  # quitting ends the session too
    assert idbank.audit_count("auth.logout") == 2


def test_logout_from_the_lock(qtbot, idbank, make_desk):
    desk = make_desk(idbank)
    window = logged_in(qtbot, desk, "teller")
    window.lock_action.trigger()
    assert window.locked
    window.lock_overlay.logout_button.click()
    assert desk.window is None and desk.login.isVisible()


def test_idle_lock_keeps_typed_input_and_unlocks_with_the_password(qtbot, idbank, make_desk):
    desk = make_desk(idbank, idle_lock_ms=400)
    window = logged_in(qtbot, desk, "administrator")
    window.show_section("accounts")
    screen = window.current_screen()
    search = window.findChild(QLineEdit, "accountsSearch")
    qtbot.keyClicks(search, "Ada Lov")
    qtbot.waitUntil(lambda: window.locked, timeout=WAIT_MS)
    overlay = window.lock_overlay
    assert overlay is not None and overlay.isVisible()
    assert not window.centralWidget().isVisible()  # nothing of the screen shows while locked
    assert not window.section_actions[0].isEnabled()  # nor do its shortcuts work
    qtbot.keyClicks(overlay.password, "Wrong-Passw0rd!")
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: overlay.message.isVisible(), timeout=WAIT_MS)
    assert overlay.message.text() == "Wrong user name or password."
    assert window.locked
    old_session = window.session.session_id
    qtbot.keyClicks(overlay.password, NEW_PASSWORD)
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)
    assert window.current_screen() is screen  # not rebuilt
    assert search.text() == "Ada Lov" and search.isEnabled()
    assert window.session.session_id != old_session
    assert window.section_actions[0].isEnabled()
    qtbot.waitUntil(lambda: idbank.audit_count("auth.logout") == 1, timeout=WAIT_MS)


def test_input_keeps_the_window_unlocked(qtbot, idbank, make_desk):
    desk = make_desk(idbank, idle_lock_ms=600)
    window = logged_in(qtbot, desk, "teller")
    search = window.findChild(QLineEdit, "accountsSearch")
    for _ in range(8):
        qtbot.keyClick(search, Qt.Key.Key_A)
        qtbot.wait(150)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=WAIT_MS)


def test_idle_limit_is_bounded():
    assert idle_lock_ms(None) == limits.IDLE_LOCK_MINUTES * 60_000
    assert idle_lock_ms(0) == 0
    assert idle_lock_ms(10_000) == limits.MAX_IDLE_LOCK_MINUTES * 60_000


def test_every_identity_error_has_a_sentence():
    from core import errors
    from ui.messages import SENTENCES

    identity_errors = (
        errors.AuthenticationFailed, errors.TotpRequired, errors.TotpInvalid,
        errors.AccountLocked, errors.UserDisabled, errors.PasswordChangeRequired,
        errors.PasswordPolicy, errors.PasswordReused, errors.UnknownUser, errors.UserExists,
        errors.UnknownRole, errors.UnknownPermission, errors.UnknownSession,
        errors.TotpNotEnrolled, errors.BranchScopeDenied, errors.ApprovalRequired,
        errors.ApprovalNotRequired, errors.UnknownApprovalAction,
        errors.UnknownApprovalRequest, errors.ApprovalAlreadyDecided, errors.MakerCannotDecide,
        errors.PermissionDenied)
    missing = [cls.code for cls in identity_errors if cls.code not in SENTENCES]
    assert missing == []
    assert message_for(errors.MakerCannotDecide(user="ann", request=4)).startswith(
        "ann made request 4")


def test_two_factor_enrolment_then_the_login_asks_for_a_code(qtbot, idbank, make_desk):
    desk = make_desk(idbank)
    window = logged_in(qtbot, desk, "head.teller")
    window.totp_action.trigger()
    dialog = window.totp_dialog
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.enrolment is not None, timeout=WAIT_MS)
    assert not dialog.qr.pixmap().isNull()
    qtbot.keyClicks(dialog.code, "000000")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.message.text() == "The one-time code is wrong or has expired."
    dialog.code.clear()
    code = pyotp.TOTP(dialog.enrolment.secret).at(idbank.clock.at)
    qtbot.keyClicks(dialog.code, code)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "is on for head.teller" in dialog.message.text(), timeout=WAIT_MS)
    dialog.close()
    desk.logout()
    type_login(qtbot, desk, "head.teller")
    assert desk.login.totp.isVisible() and desk.window is None
