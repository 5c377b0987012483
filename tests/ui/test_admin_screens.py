# ruff: noqa: F811 - the fixtures are imported from tests/identity
"""The admin screens on both databases: users, roles matrix, rules, checker inbox, audit log."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from core import errors
from core.services import identity, makerchecker
from core.services.authz import SYSTEM
from tests.identity.conftest import (  # noqa: F401 - fixtures
    NEW_PASSWORD,
    cheap_hasher,
    fctx,
    idbank,
)
from tests.ui.identity_fixtures import WAIT_MS

TEMP_PASSWORD = "Temporary-Passw0rd!"


def _open(qtbot, make_window, idbank, role: str, section: str, username: str | None = None):
    actor = idbank.login(username).actor if username else idbank.actor(role)
    window = make_window(idbank, actor)
    window.show_section(section)
    screen = window.current_screen()
    assert screen.objectName() == f"screen_{section}"
    return window, screen


def _idle(qtbot, screen):
    qtbot.waitUntil(lambda: not screen.busy and not getattr(screen.model, "loading", False),
                    timeout=WAIT_MS)


def _rows(qtbot, screen):
    _idle(qtbot, screen)
    while screen.model.canFetchMore():
        screen.model.fetchMore()
        _idle(qtbot, screen)
    return screen.model.rows()


def test_users_screen_creates_a_user_and_resets_a_password(qtbot, idbank, make_window):
    _, screen = _open(qtbot, make_window, idbank, "administrator", "users")
    _idle(qtbot, screen)
    dialog = screen.ask_create()
    for key, value in (("username", "new.clerk"), ("full_name", "New Clerk"),
                       ("password", TEMP_PASSWORD)):
        qtbot.keyClicks(dialog.widgets[key], value)
    dialog.set_value("role", "head_teller")
    dialog.accept()
    qtbot.waitUntil(lambda: screen.notice.isVisible(), timeout=WAIT_MS)
    assert screen.notice.text() == "Saved: new.clerk."
    created = {u.username: u for u in _rows(qtbot, screen)}["new.clerk"]
    assert created.role == "head_teller" and created.must_change_password
    assert created.branch_id == idbank.hq
    # a bad password is refused with the policy sentence, nothing created
    dialog = screen.ask_create()
    qtbot.keyClicks(dialog.widgets["username"], "other.clerk")
    qtbot.keyClicks(dialog.widgets["full_name"], "Other Clerk")
    qtbot.keyClicks(dialog.widgets["password"], "short")
    dialog.accept()
    qtbot.waitUntil(lambda: screen.message.isVisible(), timeout=WAIT_MS)
    assert "not acceptable" in screen.message.text()
    assert "other.clerk" not in {u.username for u in _rows(qtbot, screen)}
    # reset the teller's password: a temporary one, to be changed at the next login
    screen.select_user("teller")
    dialog = screen.ask_reset()
    qtbot.keyClicks(dialog.widgets["password"], TEMP_PASSWORD)
    dialog.accept()
    qtbot.waitUntil(lambda: "Saved: teller." in screen.notice.text(), timeout=WAIT_MS)
    assert idbank.login("teller", TEMP_PASSWORD).must_change_password


def test_users_screen_disables_unlocks_and_sends_role_changes_to_approval(
        qtbot, idbank, make_window):
    idbank.ctx.run(makerchecker.set_rule, SYSTEM, action="users.change_role")
    _, screen = _open(qtbot, make_window, idbank, "administrator", "users")
    _rows(qtbot, screen)
    screen.select_user("manager")
    dialog = screen.ask_role()
    dialog.set_value("role", "teller")
    dialog.accept()
    qtbot.waitUntil(lambda: "waits for a second person" in screen.notice.text(),
                    timeout=WAIT_MS)
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="manager").role == "manager"
    # the list reloads with the user still selected; the pending request shows on the record
    qtbot.waitUntil(lambda: "Give manager the role teller" in screen.pending.text(),
                    timeout=WAIT_MS)
    dialog = screen.ask_toggle()
    qtbot.keyClicks(dialog.widgets["reason"], "on leave")
    dialog.accept()
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)
    assert not idbank.ctx.read(identity.get_user, SYSTEM, username="manager").active
    # a locked teller shows as locked, and Unlock clears it
    for _ in range(5):
        try:
            idbank.login("teller", "Wrong-Passw0rd!")
        except errors.AuthenticationFailed:
            pass
    screen.refresh()
    teller = {u.username: u for u in _rows(qtbot, screen)}["teller"]
    assert "locked until" in screen.model.data(
        screen.model.index(screen.model.rows().index(teller), 4))
    screen.select_user("teller")
    screen.unlock_selected()
    qtbot.waitUntil(lambda: "Saved: teller." in screen.notice.text(), timeout=WAIT_MS)
    assert idbank.login("teller").actor.username == "teller"


def test_inbox_approve_and_refuse_by_a_second_administrator(qtbot, idbank, make_window):
    idbank.add_user("admin.two", "administrator")
    maker = idbank.actor("administrator")
    idbank.ctx.run(makerchecker.set_rule, SYSTEM, action="users.change_role")
    first = idbank.ctx.run(makerchecker.request_approval, maker, action="users.change_role",
                           params={"username": "teller", "role": "head_teller"})
    second = idbank.ctx.run(makerchecker.request_approval, maker, action="users.change_role",
                            params={"username": "manager", "role": "teller"})
    # the maker sees the requests but the service refuses their own decision
    _, own = _open(qtbot, make_window, idbank, "administrator", "inbox")
    assert [r.request_id for r in _rows(qtbot, own)] == [first.request_id, second.request_id]
    own.select_request(first.request_id)
    assert "Give teller the role head_teller" in own.detail.toPlainText()
    assert '"role": "head_teller"' in own.detail.toPlainText()
    own.approve_button.click()
    qtbot.waitUntil(lambda: own.message.isVisible(), timeout=WAIT_MS)
    assert own.message.text() == (f"administrator made request {first.request_id} and cannot "
                                  "approve or refuse it: another person must.")
    # the second administrator approves one and refuses the other with a reason
    _, inbox = _open(qtbot, make_window, idbank, "administrator", "inbox", "admin.two")
    _rows(qtbot, inbox)
    inbox.select_request(first.request_id)
    inbox.approve_button.click()
    qtbot.waitUntil(lambda: "approved" in inbox.notice.text(), timeout=WAIT_MS)
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").role == "head_teller"
    assert [r.request_id for r in _rows(qtbot, inbox)] == [second.request_id]
    inbox.select_request(second.request_id)
    inbox.refuse_button.click()  # no reason: refused by the service
    qtbot.waitUntil(lambda: inbox.message.isVisible(), timeout=WAIT_MS)
    assert "reason" in inbox.message.text()
    qtbot.keyClicks(inbox.reason, "not agreed with HR")
    inbox.refuse_button.click()
    qtbot.waitUntil(lambda: "refused" in inbox.notice.text(), timeout=WAIT_MS)
    decided = idbank.ctx.read(makerchecker.get_request, SYSTEM, request_id=second.request_id)
    assert decided.status == "refused" and decided.reason == "not agreed with HR"
    assert decided.checker == "admin.two"
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="manager").role == "manager"
    assert _rows(qtbot, inbox) == ()


def test_roles_matrix_saves_directly_or_through_approval(qtbot, idbank, make_window):
    _, screen = _open(qtbot, make_window, idbank, "administrator", "roles")
    qtbot.waitUntil(lambda: screen.matrix is not None, timeout=WAIT_MS)
    screen.set_checked("teller", "audit.view", True)
    assert screen.edited()[0][0] == "teller"
    screen.save_button.click()
    qtbot.waitUntil(lambda: "Role teller saved" in screen.notice.text(), timeout=WAIT_MS)
    roles = {r.name: r for r in idbank.ctx.read(identity.list_roles, SYSTEM)}
    assert "audit.view" in roles["teller"].permissions
    idbank.ctx.run(makerchecker.set_rule, SYSTEM, action="roles.change_permissions")
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)
    screen.set_checked("teller", "audit.view", False)
    screen.save_button.click()
    qtbot.waitUntil(lambda: "waits for approval" in screen.notice.text(), timeout=WAIT_MS)
    roles = {r.name: r for r in idbank.ctx.read(identity.list_roles, SYSTEM)}
    assert "audit.view" in roles["teller"].permissions  # unchanged until approved


def test_rules_screen_sets_a_threshold_rule(qtbot, idbank, make_window):
    _, screen = _open(qtbot, make_window, idbank, "administrator", "rules")
    _idle(qtbot, screen)
    screen.action.setCurrentIndex(screen.action.findData("ledger.transfer"))
    qtbot.keyClicks(screen.threshold, "10,000.00")
    screen.save_button.click()
    qtbot.waitUntil(lambda: screen.message.isVisible(), timeout=WAIT_MS)
    assert "needs a currency" in screen.message.text()
    qtbot.keyClicks(screen.currency, "usd")
    screen.save_button.click()
    qtbot.waitUntil(lambda: "Rule saved" in screen.notice.text(), timeout=WAIT_MS)
    rules = _rows(qtbot, screen)
    assert [(r.action, r.threshold_minor, r.currency) for r in rules] == [
        ("ledger.transfer", 1_000_000, "USD")]
    assert screen.model.data(screen.model.index(0, 1)) == "from 10,000.00 USD"


def test_audit_viewer_filters_shows_payload_and_verifies_chains(qtbot, idbank, make_window,
                                                               tmp_path):
    idbank.ctx.run(identity.reset_password, idbank.actor("administrator"), username="teller",
                   new_password=TEMP_PASSWORD)
    _, screen = _open(qtbot, make_window, idbank, "administrator", "audit")
    everything = _rows(qtbot, screen)
    assert len(everything) > 5 and everything[0].event_id > everything[-1].event_id
    qtbot.waitUntil(lambda: screen.chain_ok is True, timeout=WAIT_MS)
    qtbot.keyClicks(screen.user, "administrator")
    qtbot.keyClicks(screen.action, "users.reset_password")
    qtbot.keyClick(screen.action, Qt.Key.Key_Return)
    rows = _rows(qtbot, screen)
    assert [(e.actor, e.action) for e in rows] == [("administrator", "users.reset_password")]
    screen.table.selectRow(0)
    detail = screen.detail.toPlainText()
    payload = json.loads(rows[0].payload)
    assert payload["username"] == "teller" and "temporary password set" in detail
    assert "users.reset_password on user" in detail
    # the action prefix and the record filter
    screen.clear_filters()
    qtbot.keyClicks(screen.action, "auth.")
    qtbot.keyClicks(screen.entity_type, "user")
    screen.search_button.click()
    rows = _rows(qtbot, screen)
    assert rows and all(e.action.startswith("auth.") and e.entity_type == "user" for e in rows)
    # a date range after today holds nothing
    screen.clear_filters()
    screen.date_from.setDate(screen.date_from.date().currentDate().addDays(400))
    screen.search_button.click()
    assert _rows(qtbot, screen) == ()
    screen.verify_button.click()
    qtbot.waitUntil(lambda: screen.chain.text().startswith("Verified now"), timeout=WAIT_MS)
    assert "intact" in screen.chain.text() and screen.chain_ok
    screen.clear_filters()
    out = tmp_path / "audit.csv"
    screen.export_to(out)
    qtbot.waitUntil(lambda: "events written" in screen.notice.text(), timeout=WAIT_MS)
    assert out.read_text().startswith("id,chain_id,seq")
    assert idbank.audit_count("audit.export") == 1


def test_teller_is_refused_by_the_service_even_with_the_screen(qtbot, idbank, make_window):
    """Hiding the section is convenience: a screen opened anyway gets the service's refusal."""
    from ui.screens.admin.users_screen import UsersScreen

    window = make_window(idbank, idbank.actor("teller"))
    screen = UsersScreen(window.shell)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: bool(screen.message.text()), timeout=WAIT_MS)
    assert screen.message.text() == "User teller does not have the permission users.view."
