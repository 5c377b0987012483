"""Role x action matrix: every permission-guarded service action is refused for every role that
lacks its permission, with nothing written but the refusal's audit event."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import errors
from core.models.audit import AuditEvent
from core.rules.ledger import Line
from core.rules.permissions import DEFAULT_MATRIX
from core.services import (
    accounts,
    audit_trail,
    authentication,
    calendar,
    customers,
    fx,
    fx_exchange,
    fx_revaluation,
    identity,
    ledger,
    makerchecker,
    sanctions,
    sanctions_batch,
    sanctions_import,
    sanctions_review,
    setup,
)
from core.services.authz import SYSTEM


def _world(idbank):
    """Real records for the actions to aim at."""
    ctx = idbank.ctx
    cust = ctx.run(customers.create_customer, SYSTEM, kind="person", full_name="Ada Lovelace",
                   branch_id=idbank.hq, born_on=date(1990, 1, 1))
    a = ctx.run(accounts.open_account, SYSTEM, customer_id=cust.customer_id, currency="USD")
    b = ctx.run(accounts.open_account, SYSTEM, customer_id=cust.customer_id, currency="USD")
    gl = ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=idbank.hq, currency="USD")["1000"]
    entry = ctx.run(ledger.post_entry, SYSTEM, idempotency_key="seed-entry-1", kind="deposit",
                    lines=[Line(gl, 50_000, "USD"), Line(a.account_id, -50_000, "USD")])
    hold = ctx.run(accounts.place_hold, SYSTEM, account_id=a.account_id, amount_minor=100,
                   reason="cheque")
    return cust, a, b, gl, entry, hold


def actions(idbank):
    """(permission, service, kwargs): minimal valid arguments for each guarded action."""
    cust, a, b, gl, entry, hold = _world(idbank)
    usd = "USD"
    return [
        ("ledger.post", ledger.post_entry, dict(
            idempotency_key="matrix-post-1", kind="deposit",
            lines=[Line(gl, 100, usd), Line(a.account_id, -100, usd)])),
        ("ledger.transfer", ledger.transfer, dict(
            idempotency_key="matrix-transfer-1", from_account_id=a.account_id,
            to_account_id=b.account_id, amount_minor=100, currency=usd)),
        ("ledger.reverse", ledger.reverse_entry, dict(
            idempotency_key="matrix-reverse-1", entry_id=entry.entry_id, reason="error")),
        ("admin.setup", setup.init_bank, dict(bank_name="X", base_currency=usd,
                                              business_date=date(2026, 12, 4))),
        ("admin.setup", identity.seed_roles, {}),
        ("admin.branches", setup.create_branch, dict(code="B9", name="Ninth")),
        ("eod.run", calendar.advance_business_date, {}),
        ("customers.create", customers.create_customer, dict(
            kind="person", full_name="Grace Hopper", branch_id=idbank.hq)),
        ("accounts.open", accounts.open_account, dict(customer_id=cust.customer_id,
                                                      currency=usd)),
        ("accounts.status", accounts.set_status, dict(account_id=b.account_id, status="frozen",
                                                      reason="court order")),
        ("accounts.hold", accounts.place_hold, dict(account_id=a.account_id, amount_minor=10,
                                                    reason="cheque")),
        ("accounts.hold", accounts.release_hold, dict(hold_id=hold.hold_id)),
        ("users.view", identity.list_users, {}),
        ("users.view", identity.get_user, dict(username="administrator")),
        ("users.create", identity.create_user, dict(
            username="matrix.user", full_name="Matrix User", role="teller",
            branch_id=idbank.hq, password="Matrix-Passw0rd!")),
        ("users.disable", identity.set_user_active, dict(username="teller", active=False,
                                                         reason="test")),
        ("users.reset_password", identity.reset_password, dict(
            username="teller", new_password="Reset-Passw0rd-1")),
        ("users.reset_password", authentication.disable_totp, dict(username="teller")),
        ("users.unlock", identity.unlock_user, dict(username="teller")),
        ("users.change_role", identity.change_role, dict(username="teller", role="manager")),
        ("users.change_branch", identity.change_branch, dict(username="teller",
                                                             branch_id=idbank.b2)),
        ("roles.view", identity.list_roles, {}),
        ("roles.view", identity.list_permissions, {}),
        ("roles.change_permissions", identity.change_role_permissions, dict(
            role="teller", permissions=("ledger.post",))),
        ("makerchecker.request", makerchecker.request_approval, dict(
            action="users.change_role", params={"username": "teller", "role": "manager"})),
        ("makerchecker.view", makerchecker.list_pending, {}),
        ("makerchecker.view", makerchecker.list_rules, {}),
        ("makerchecker.approve", makerchecker.approve, dict(request_id=1)),
        ("makerchecker.approve", makerchecker.refuse, dict(request_id=1, reason="no")),
        ("makerchecker.rules", makerchecker.set_rule, dict(action="users.create")),
        ("audit.view", audit_trail.verify_chains, {}),
        ("audit.view", audit_trail.chain_status, {}),
        ("audit.view", audit_trail.query_events, {}),
        ("audit.export", audit_trail.export_page, {}),
        ("accounts.view", accounts.search_accounts, dict(query="Ada")),
        ("fx.view", fx.current_rates, {}),
        ("fx.view", fx_revaluation.position, {}),
        ("fx.view", fx_exchange.quote, dict(from_currency="EUR", to_currency=usd,
                                            amount_minor=100)),
        ("fx.rates.enter", fx.enter_rate, dict(currency="EUR", buy="1.05", sell="1.10")),
        ("fx.rates.approve", fx.approve_rate, dict(rate_id=1)),
        ("fx.rates.import", fx.import_rates_csv, dict(text="currency,buy,sell\nEUR,1.05,1.1\n")),
        ("fx.exchange", fx_exchange.exchange_between_accounts, dict(
            idempotency_key="matrix-fx-1", from_account_id=a.account_id,
            to_account_id=b.account_id, amount_minor=100)),
        ("fx.revalue", fx_revaluation.revalue, {}),
        ("sanctions.screen", sanctions.screen_party, dict(name="Osama Bin Laden")),
        ("sanctions.screen", sanctions.screen_customer, dict(customer_id=cust.customer_id)),
        ("sanctions.import", sanctions_import.import_list, dict(files=["missing.csv"])),
        ("sanctions.import", sanctions_batch.start_rescreen, dict(reason="new list")),
        ("sanctions.review", sanctions_review.list_hits, {}),
        ("sanctions.review", sanctions_review.decide_hit, dict(
            hit_id=1, decision="false_positive", reason="different person")),
        ("sanctions.approve", sanctions_review.approve_clear, dict(hit_id=1)),
        ("audit.export", audit_trail.record_export, dict(fmt="csv", rows=0, date_from=None,
                                                         date_to=None, target="x.csv")),
    ]


def _ok_events(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.outcome == "ok")).scalar_one()


def test_every_action_is_refused_for_every_role_lacking_its_permission(idbank):
    table = actions(idbank)
    roles = {r.name: frozenset(r.permissions)
             for r in idbank.ctx.read(identity.list_roles, SYSTEM)}
    assert roles == DEFAULT_MATRIX  # the seeded rows are the default matrix
    actors = {role: idbank.actor(role) for role in roles}
    ok_before = _ok_events(idbank.ctx)
    refused = 0
    for permission, service, kwargs in table:
        for role, perms in roles.items():
            if permission in perms:
                continue
            with pytest.raises(errors.PermissionDenied) as info:
                idbank.ctx.run(service, actors[role], **kwargs)
            assert info.value.params["action"] == permission, (service.__name__, role)
            refused += 1
    assert _ok_events(idbank.ctx) == ok_before  # nothing done
    assert idbank.audit_count("authz.denied", "refused") == refused  # every refusal audited
    expected = sum(1 for p, _, _ in table for perms in roles.values() if p not in perms)
    assert refused == expected and refused > 80
    print(f"\nrole x action matrix: {len(table)} actions x {len(roles)} roles, "
          f"{refused} refusals checked")


def test_matrix_covers_every_permission_the_services_check():
    """A new authz.require(...) in a service must show up in the matrix above."""
    source = "\n".join(p.read_text() for p in Path("core/services").glob("*.py"))
    name = r"([a-z_]+(?:\.[a-z_]+)+)"
    checked = set(re.findall(r'require\(uow, "' + name + r'"\)', source))
    checked |= set(re.findall(r'permission: str = "' + name + '"', source))
    checked |= set(re.findall(r'permission="' + name + '"', source))
    assert len(checked) >= 25
    assert checked - _listed_permissions() - COVERED_ELSEWHERE.keys() == set()


# Permissions checked only deep inside a use case, refused by their own tests instead.
COVERED_ELSEWHERE = {
    "fx.override_stale": "needs a stale rate first: tests/services/fx (stale without override)",
}


def _listed_permissions() -> set[str]:
    text = Path(__file__).read_text()
    return set(re.findall(r'\(\s*"([a-z_]+(?:\.[a-z_]+)+)", [a-z_]+\.', text))
