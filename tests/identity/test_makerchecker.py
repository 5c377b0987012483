"""Maker-checker: request, inbox, approve (executes), refuse, maker never decides, one decision."""

from __future__ import annotations

from datetime import date

import pytest

from core import errors
from core.rules.ledger import Line
from core.services import accounts, customers, identity, ledger, makerchecker, setup
from core.services.authz import SYSTEM


def _second_admin(idbank):
    idbank.add_user("admin2", "administrator")
    return idbank.actor("administrator"), idbank.login("admin2").actor


def test_user_creation_waits_for_a_second_administrator(idbank):
    admin, admin2 = _second_admin(idbank)
    idbank.ctx.run(makerchecker.set_rule, admin, action="users.create")
    new_user = dict(username="new.teller", full_name="New Teller", role="teller",
                    branch_id=idbank.hq, password="Initial-Passw0rd!")
    with pytest.raises(errors.ApprovalRequired):
        idbank.ctx.run(identity.create_user, admin, **new_user)
    req = idbank.ctx.run(makerchecker.request_approval, admin, action="users.create",
                         params=new_user)
    assert req.status == "pending" and "password_hash" not in req.params
    assert [r.request_id for r in idbank.ctx.read(makerchecker.pending_for, admin2,
                                                  entity_type="user", entity_id="new.teller")
            ] == [req.request_id]
    assert [r.request_id for r in idbank.ctx.read(makerchecker.list_pending, admin2)
            ] == [req.request_id]
    with pytest.raises(errors.UnknownUser):
        idbank.ctx.read(identity.get_user, SYSTEM, username="new.teller")
    with pytest.raises(errors.MakerCannotDecide):
        idbank.ctx.run(makerchecker.approve, admin, request_id=req.request_id)
    done = idbank.ctx.run(makerchecker.approve, admin2, request_id=req.request_id)
    assert done.status == "approved" and done.checker == "admin2" and done.result["user_id"]
    # the stored hash is the maker's password: the new user logs in with it
    assert idbank.login("new.teller", "Initial-Passw0rd!").must_change_password
    with pytest.raises(errors.ApprovalAlreadyDecided):
        idbank.ctx.run(makerchecker.approve, admin2, request_id=req.request_id)
    with pytest.raises(errors.ApprovalAlreadyDecided):
        idbank.ctx.run(makerchecker.refuse, admin2, request_id=req.request_id, reason="late")
    assert idbank.ctx.read(makerchecker.list_pending, admin2) == []
    assert idbank.audit_count("makerchecker.request") == 1
    assert idbank.audit_count("makerchecker.approve", "ok") == 1
    assert idbank.audit_count("makerchecker.approve", "refused") == 2  # own + already decided
    assert idbank.audit_count("makerchecker.refuse", "refused") == 1


def test_refusal_needs_a_reason_and_changes_nothing(idbank):
    admin, admin2 = _second_admin(idbank)
    idbank.ctx.run(makerchecker.set_rule, admin, action="users.change_role")
    with pytest.raises(errors.ApprovalRequired):
        idbank.ctx.run(identity.change_role, admin, username="teller", role="manager")
    req = idbank.ctx.run(makerchecker.request_approval, admin, action="users.change_role",
                         params={"username": "teller", "role": "manager"})
    with pytest.raises(errors.MakerCannotDecide):
        idbank.ctx.run(makerchecker.refuse, admin, request_id=req.request_id, reason="oops")
    with pytest.raises(errors.InvalidInput):
        idbank.ctx.run(makerchecker.refuse, admin2, request_id=req.request_id, reason=" ")
    out = idbank.ctx.run(makerchecker.refuse, admin2, request_id=req.request_id,
                         reason="not without the branch manager's letter")
    assert out.status == "refused" and out.reason.startswith("not without")
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").role == "teller"
    with pytest.raises(errors.ApprovalAlreadyDecided):
        idbank.ctx.run(makerchecker.approve, admin2, request_id=req.request_id)


def test_role_change_and_permission_change_execute_on_approval(idbank):
    admin, admin2 = _second_admin(idbank)
    for action in ("users.change_role", "roles.change_permissions"):
        idbank.ctx.run(makerchecker.set_rule, admin, action=action)
    r1 = idbank.ctx.run(makerchecker.request_approval, admin, action="users.change_role",
                        params={"username": "teller", "role": "head_teller"})
    r2 = idbank.ctx.run(makerchecker.request_approval, admin2, action="roles.change_permissions",
                        params={"role": "teller", "permissions": ["ledger.post",
                                                                  "customers.create"]})
    idbank.ctx.run(makerchecker.approve, admin2, request_id=r1.request_id)
    idbank.ctx.run(makerchecker.approve, admin, request_id=r2.request_id)
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").role == "head_teller"
    roles = {r.name: r.permissions for r in idbank.ctx.read(identity.list_roles, SYSTEM)}
    assert roles["teller"] == ("customers.create", "ledger.post")
    with pytest.raises(errors.UnknownPermission):
        idbank.ctx.run(makerchecker.request_approval, admin, action="roles.change_permissions",
                       params={"role": "teller", "permissions": ["money.print"]})


def _funded_accounts(idbank):
    cust = idbank.ctx.run(customers.create_customer, SYSTEM, kind="person",
                          full_name="Ada Lovelace", branch_id=idbank.hq, born_on=date(1990, 1, 1))
    a = idbank.ctx.run(accounts.open_account, SYSTEM, customer_id=cust.customer_id,
                       currency="USD").account_id
    b = idbank.ctx.run(accounts.open_account, SYSTEM, customer_id=cust.customer_id,
                       currency="USD").account_id
    gl = idbank.ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=idbank.hq,
                        currency="USD")["1000"]
    idbank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key="fund-account-a", kind="deposit",
                   lines=[Line(gl, 1_000_000, "USD"), Line(a, -1_000_000, "USD")])
    return a, b


def test_transfer_above_the_threshold_needs_a_checker(idbank):
    a, b = _funded_accounts(idbank)
    admin = idbank.actor("administrator")
    teller, head = idbank.actor("teller"), idbank.actor("head_teller")
    idbank.ctx.run(makerchecker.set_rule, admin, action="ledger.transfer",
                   threshold_minor=100_000, currency="USD")
    small = {"from_account_id": a, "to_account_id": b, "amount_minor": 50_000, "currency": "USD"}
    with pytest.raises(errors.ApprovalNotRequired):
        idbank.ctx.run(makerchecker.request_approval, teller, action="ledger.transfer",
                       params=small)
    big = {**small, "amount_minor": 250_000, "memo": "car purchase"}
    req = idbank.ctx.run(makerchecker.request_approval, teller, action="ledger.transfer",
                         params=big)
    assert req.entity_type == "account" and req.entity_id == str(a)
    assert "2,500.00" in req.summary or "2500.00" in req.summary
    with pytest.raises(errors.PermissionDenied):  # a teller is not a checker
        idbank.ctx.run(makerchecker.approve, teller, request_id=req.request_id)
    done = idbank.ctx.run(makerchecker.approve, head, request_id=req.request_id)
    assert done.result["entry_id"] > 0
    bal = idbank.ctx.read(accounts.get_account, SYSTEM, account_id=b).ledger_balance_minor
    assert bal == 250_000


def test_request_is_validated_when_made(idbank):
    teller = idbank.actor("teller")
    admin = idbank.actor("administrator")
    idbank.ctx.run(makerchecker.set_rule, admin, action="ledger.transfer",
                   threshold_minor=100, currency="USD")
    with pytest.raises(errors.UnknownAccount):
        idbank.ctx.run(makerchecker.request_approval, teller, action="ledger.transfer",
                       params={"from_account_id": 999_999, "to_account_id": 999_998,
                               "amount_minor": 500, "currency": "USD"})
    with pytest.raises(errors.UnknownApprovalAction):
        idbank.ctx.run(makerchecker.request_approval, teller, action="ledger.print_money",
                       params={})
    idbank.ctx.run(makerchecker.set_rule, admin, action="users.create")
    with pytest.raises(errors.PasswordPolicy):
        idbank.ctx.run(makerchecker.request_approval, admin, action="users.create",
                       params={"username": "x.y", "full_name": "X Y", "role": "teller",
                               "branch_id": idbank.hq, "password": "short"})
    assert idbank.ctx.read(makerchecker.list_pending, admin) == []


def test_branch_scope(idbank):
    teller, manager = idbank.actor("teller"), idbank.actor("manager")
    with pytest.raises(errors.BranchScopeDenied):
        idbank.ctx.run(customers.create_customer, teller, kind="person", full_name="Alan Turing",
                       branch_id=idbank.b2)
    mine = idbank.ctx.run(customers.create_customer, teller, kind="person",
                          full_name="Alan Turing", branch_id=idbank.hq)
    theirs = idbank.ctx.run(customers.create_customer, manager, kind="person",
                            full_name="Joan Clarke", branch_id=idbank.b2)  # branches.all
    idbank.ctx.run(accounts.open_account, teller, customer_id=mine.customer_id, currency="USD")
    with pytest.raises(errors.BranchScopeDenied):
        idbank.ctx.run(accounts.open_account, teller, customer_id=theirs.customer_id,
                       currency="USD")
    a, b = _funded_accounts(idbank)
    with pytest.raises(errors.BranchScopeDenied):
        idbank.ctx.run(ledger.transfer, teller, idempotency_key="scope-transfer-1",
                       from_account_id=a, to_account_id=b, amount_minor=100, currency="USD",
                       branch_id=idbank.b2)
    idbank.ctx.run(ledger.transfer, teller, idempotency_key="scope-transfer-2",
                   from_account_id=a, to_account_id=b, amount_minor=100, currency="USD",
                   branch_id=idbank.hq)
    assert idbank.audit_count("authz.branch_denied", "refused") == 3
