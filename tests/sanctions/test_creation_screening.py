"""Customers are screened when they are created (issue 6: screening points)."""

from __future__ import annotations

from datetime import date

from core.services import customers, sanctions_import, sanctions_review
from core.services.authz import SYSTEM
from tests.sanctions.conftest import WATCHLIST


def test_customer_created_before_any_list_has_no_hits(bank):
    c = bank.ctx.run(customers.create_customer, SYSTEM, kind="person",
                     full_name="Gregor Mallory", branch_id=bank.branch_id)
    assert c.sanctions_hits == 0


def test_customer_matching_the_watchlist_gets_a_hit_at_creation(bank):
    bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)],
                 list_code="internal", rescreen=False)
    listed = bank.ctx.run(customers.create_customer, SYSTEM, kind="person",
                          full_name="Mallory, Gregor", born_on=date(1970, 5, 17),
                          branch_id=bank.branch_id)
    ordinary = bank.ctx.run(customers.create_customer, SYSTEM, kind="person",
                            full_name="Beatrice Okonkwo", born_on=date(1985, 2, 3),
                            branch_id=bank.branch_id)
    assert listed.sanctions_hits == 1 and ordinary.sanctions_hits == 0
    hits = bank.ctx.read(sanctions_review.list_hits, SYSTEM, status="open")
    assert [(h.customer_id, h.external_id) for h in hits] == [(listed.customer_id, "W-001")]
