"""search_accounts: the keyset search behind the accounts screen, on both databases."""

from __future__ import annotations

import pytest

from core import errors, limits
from core.rules.chart import STANDARD_CHART
from core.services import accounts
from core.services.authz import SYSTEM
from core.unit_of_work import Actor


def search(bank, actor=SYSTEM, **kw):
    return bank.ctx.read(accounts.search_accounts, actor, **kw)


@pytest.fixture
def named(bank):
    for name in ("Ada Lovelace", "Adam Smith", "Grace Hopper", "100% Pure Ltd", "Under_Score"):
        bank.customer_account("USD", name=name)
    return bank


def test_empty_query_pages_every_account_in_id_order(named):
    pages, after = [], 0
    while page := search(named, query="", after_id=after, limit=4):
        pages.append(page)
        after = page[-1].account_id
    ids = [a.account_id for p in pages for a in p]
    assert len(ids) == len(STANDARD_CHART) + 5 and ids == sorted(set(ids))
    assert all(len(p) <= 4 for p in pages)


def test_name_prefix_any_case_and_word_prefix(named):
    assert [a.name for a in search(named, query="ADA")] == ["Ada Lovelace USD", "Adam Smith USD"]
    assert [a.name for a in search(named, query="hopp")] == ["Grace Hopper USD"]
    assert search(named, query="race") == []  # inside a word is not a prefix


def test_number_prefix(named):
    target = search(named, query="grace")[0]
    found = search(named, query=target.number[:9])
    assert target in found and all(a.number.startswith(target.number[:9]) for a in found)


def test_like_wildcards_are_literal(named):
    assert [a.name for a in search(named, query="100%")] == ["100% Pure Ltd USD"]
    assert search(named, query="%") == []
    assert [a.name for a in search(named, query="under_")] == ["Under_Score USD"]
    assert search(named, query="_") == []


def test_kind_filter(named):
    kinds = {a.kind for a in search(named, kind="gl", limit=100)}
    assert kinds == {"gl"}
    assert len(search(named, kind="customer", limit=100)) == 5


def test_refused_without_the_permission_and_for_too_long_text(named):
    clerk = Actor(username="clerk", role="teller", permissions=frozenset({"accounts.open"}))
    with pytest.raises(errors.PermissionDenied):
        search(named, clerk, query="ada")
    with pytest.raises(errors.InvalidInput):
        search(named, query="x" * (limits.MAX_SEARCH_CHARS + 1))
