"""`cbs demo`: the bulk-built bank keeps every ledger invariant, on SQLite and PostgreSQL.

Each test builds into its own fresh database (a temp SQLite file or a throwaway PostgreSQL
database) because the demo runs the migrations itself.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from app import demo, migrate
from core.db import make_engine
from core.models.audit import AuditEvent
from core.models.customers import Customer
from core.models.ledger import Account, BalanceShard, BusinessDay, JournalEntry, Posting
from core.models.org import BankCalendar
from tests import pg

REPO_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)  # late enough that today's traffic is complete


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of empty databases of one backend, dropped at the end."""
    made: list[str] = []

    def make() -> str:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'demo{len(made)}.sqlite3'}"
        else:
            if not pg.reachable():
                pytest.skip(pg.reason)
            url = pg.create_database("cbs_demo_test")
        made.append(url)
        return url

    yield make
    for url in made:
        if url.startswith("postgresql"):
            pg.drop_database(url)


def build(url: str, **kw: object) -> demo.DemoResult:
    migrate.upgrade(url)
    return demo.build_demo(url, now=NOW, **kw)  # type: ignore[arg-type]


def check_invariants(engine: Engine) -> dict[str, int]:
    """The ledger's promises, checked in SQL over the whole database; returns a few counts."""
    with engine.connect() as conn:
        unbalanced = conn.execute(text(
            "SELECT entry_id, currency FROM postings GROUP BY entry_id, currency "
            "HAVING SUM(amount_minor) <> 0")).all()
        assert unbalanced == [], f"unbalanced entries: {unbalanced[:5]}"
        short = conn.execute(text(
            "SELECT e.id FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id "
            "GROUP BY e.id HAVING COUNT(p.id) < 2")).all()
        assert short == [], f"entries with fewer than two postings: {short[:5]}"
        wrong_currency = conn.execute(text(
            "SELECT p.id FROM postings p JOIN accounts a ON a.id = p.account_id "
            "WHERE a.currency <> p.currency")).all()
        assert wrong_currency == []
        mismatched = conn.execute(text(
            "SELECT a.id, a.balance_minor + COALESCE(s.total, 0) AS stored, "
            "       a.normal_sign * COALESCE(p.total, 0) AS posted "
            "FROM accounts a "
            "LEFT JOIN (SELECT account_id, SUM(balance_minor) AS total FROM balance_shards "
            "           GROUP BY account_id) s ON s.account_id = a.id "
            "LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total FROM postings "
            "           GROUP BY account_id) p ON p.account_id = a.id "
            "WHERE a.balance_minor + COALESCE(s.total, 0) <> a.normal_sign * COALESCE(p.total, 0)"
        )).all()
        assert mismatched == [], f"stored balance differs from postings: {mismatched[:5]}"
        below = conn.execute(text(
            "SELECT id, balance_minor, overdraft_limit_minor FROM accounts WHERE enforce_floor "
            "AND balance_minor - held_minor < -overdraft_limit_minor")).all()
        assert below == [], f"accounts below their floor: {below[:5]}"
        hot_plain = conn.execute(select(func.count()).select_from(Account).where(
            Account.is_hot, Account.balance_minor != 0)).scalar_one()
        assert hot_plain == 0  # hot balances live in their shards
        early = conn.execute(text(
            "SELECT p.id FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
            "JOIN accounts a ON a.id = p.account_id WHERE e.posted_at < a.opened_at")).all()
        assert early == [], f"postings before their account was opened: {early[:5]}"
        today = conn.execute(select(BankCalendar.business_date)).scalar_one()
        outside = conn.execute(select(func.count()).select_from(JournalEntry).where(
            JournalEntry.business_date > today)).scalar_one()
        assert outside == 0  # nothing posted after the bank's business date
        return {
            "customers": conn.execute(select(func.count()).select_from(Customer)).scalar_one(),
            "accounts": conn.execute(select(func.count()).select_from(Account)
                                     .where(Account.kind == "customer")).scalar_one(),
            "entries": conn.execute(select(func.count()).select_from(JournalEntry)).scalar_one(),
            "postings": conn.execute(select(func.count()).select_from(Posting)).scalar_one(),
            "days": conn.execute(select(func.count()).select_from(BusinessDay)).scalar_one(),
            "fee_shards": conn.execute(text(
                "SELECT COUNT(*) FROM balance_shards s JOIN accounts a ON a.id = s.account_id "
                "WHERE a.gl_code = '4000' AND s.balance_minor <> 0")).scalar_one(),
        }


def fingerprint(engine: Engine) -> str:
    """sha256 over the bank's content in id order (audit times are wall-clock, left out)."""
    digest = hashlib.sha256()
    queries = [
        select(Customer.id, Customer.customer_no, Customer.full_name, Customer.born_on,
               Customer.national_id, Customer.phone, Customer.email, Customer.country,
               Customer.branch_id, Customer.created_at).order_by(Customer.id),
        select(Account.id, Account.number, Account.currency, Account.status,
               Account.overdraft_limit_minor, Account.balance_minor, Account.opened_at)
        .order_by(Account.id),
        select(BalanceShard.account_id, BalanceShard.shard_no, BalanceShard.balance_minor)
        .order_by(BalanceShard.account_id, BalanceShard.shard_no),
        select(JournalEntry.id, JournalEntry.reference, JournalEntry.kind, JournalEntry.memo,
               JournalEntry.business_date, JournalEntry.posted_at, JournalEntry.request_hash)
        .order_by(JournalEntry.id),
        select(Posting.id, Posting.entry_id, Posting.account_id, Posting.amount_minor)
        .order_by(Posting.id),
    ]
    with engine.connect() as conn:
        for q in queries:
            for row in conn.execute(q):
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v
                                         for v in row)).encode())
    return digest.hexdigest()


def test_fast_request_hash_equals_the_ledger_rule() -> None:
    from app.demo_gen import fast_request_hash
    from core.rules.ledger import Line, request_hash

    cases = [("deposit", [(12, 500), (3, -500)], "Cash deposit", "USD", 3),
             ("transfer", [(7, 10_100), (9, -10_000), (2, -100)], "Transfer", "JPY", 11),
             ("fee", [(123_456_789, 250), (5, -250)], "SMS alerts fee", "BHD", 1)]
    for kind, lines, memo, currency, branch_id in cases:
        expected = request_hash(kind, [Line(a, m, currency) for a, m in lines], memo,
                                {"branch_id": branch_id, "reverses": None})
        assert fast_request_hash(kind, lines, memo, currency, branch_id) == expected


def test_small_demo_keeps_every_invariant(new_db: Callable[[], str]) -> None:
    url = new_db()
    result = build(url, customers=50, days=10, seed=7)
    engine = make_engine(url)
    try:
        counts = check_invariants(engine)
        assert counts["customers"] == result.customers == 50
        assert counts["accounts"] == result.accounts and 50 <= counts["accounts"] <= 200
        assert counts["entries"] == result.entries and counts["entries"] > counts["accounts"]
        assert counts["postings"] == result.postings
        assert counts["days"] == 10
        with engine.connect() as conn:
            cal = conn.execute(select(BankCalendar)).one()
            assert cal.business_date == NOW.date() and cal.base_currency == "USD"
            open_days = conn.execute(select(BusinessDay.business_date)
                                     .where(BusinessDay.closed_at.is_(None))).scalars().all()
            assert open_days == [NOW.date()]
            loads = conn.execute(select(AuditEvent.payload)
                                 .where(AuditEvent.action == "demo.load")).scalars().all()
            assert len(loads) == 1 and '"customers":50' in loads[0]
            first = conn.execute(select(func.min(JournalEntry.business_date))).scalar_one()
            assert first == NOW.date() - timedelta(days=9)
    finally:
        engine.dispose()


def test_same_seed_same_bank_other_seed_other_bank(new_db: Callable[[], str]) -> None:
    prints = []
    for seed in (7, 7, 8):
        url = new_db()
        build(url, customers=50, days=10, seed=seed)
        engine = make_engine(url)
        prints.append(fingerprint(engine))
        engine.dispose()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_same_seed_same_bank_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    if not pg.reachable():
        pytest.skip(pg.reason)
    pg_url = pg.create_database("cbs_demo_test")
    try:
        prints = []
        for url in (f"sqlite:///{tmp_path / 'same.sqlite3'}", pg_url):
            build(url, customers=40, days=5, seed=11)
            engine = make_engine(url)
            prints.append(fingerprint(engine))
            engine.dispose()
        assert prints[0] == prints[1]
    finally:
        pg.drop_database(pg_url)


def test_default_demo_is_realistic_and_ensure_builds_once(new_db: Callable[[], str]) -> None:
    url = new_db()
    assert demo.ensure_demo_database(url) is True
    assert demo.ensure_demo_database(url) is False
    engine = make_engine(url)
    try:
        counts = check_invariants(engine)
        assert counts["customers"] == 1_000
        assert 1_700 <= counts["accounts"] <= 2_300
        assert counts["days"] == 90
        assert counts["fee_shards"] > 0  # fee income went to the hot account's shards
        with engine.connect() as conn:
            statuses = dict(conn.execute(text(
                "SELECT status, COUNT(*) FROM accounts WHERE kind = 'customer' "
                "GROUP BY status")).all())
            assert statuses.get("dormant", 0) > 0 and statuses.get("frozen", 0) > 0
            currencies = conn.execute(text(
                "SELECT DISTINCT currency FROM accounts WHERE kind = 'customer'")).scalars().all()
            assert {"USD", "EUR", "GBP", "JPY", "BHD"} <= set(currencies)
            kinds = set(conn.execute(text("SELECT DISTINCT kind FROM journal_entries")).scalars())
            assert {"deposit", "withdrawal", "transfer", "fee"} <= kinds
            overdrawn = conn.execute(text(
                "SELECT COUNT(*) FROM accounts WHERE kind = 'customer' AND balance_minor < 0"
            )).scalar_one()
            with_limit = conn.execute(text(
                "SELECT COUNT(*) FROM accounts WHERE overdraft_limit_minor > 0")).scalar_one()
            assert with_limit > 0 and overdrawn > 0  # some customers use their overdraft
            orgs = conn.execute(text(
                "SELECT COUNT(*) FROM customers WHERE kind = 'organisation'")).scalar_one()
            assert 50 <= orgs <= 300
            ids = conn.execute(text(
                "SELECT COUNT(DISTINCT national_id), COUNT(DISTINCT customer_no) FROM customers"
            )).one()
            assert tuple(ids) == (1_000, 1_000)
    finally:
        engine.dispose()


def test_services_work_on_the_demo_bank(new_db: Callable[[], str]) -> None:
    """Bulk rows are what the services expect: a transfer posts, a demo key replays."""
    from core.clock import Clock
    from core.rules.ledger import Line
    from core.services import customers, ledger
    from core.services.authz import SYSTEM
    from core.unit_of_work import CoreContext

    url = new_db()
    build(url, customers=50, days=10, seed=7)
    engine = make_engine(url)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="test-ws")
    try:
        with engine.connect() as conn:
            a, b = conn.execute(text(
                "SELECT id FROM accounts WHERE kind = 'customer' AND status = 'active' "
                "AND currency = 'USD' ORDER BY balance_minor DESC LIMIT 2")).scalars().all()
            entry = conn.execute(select(JournalEntry).where(JournalEntry.kind == "deposit")
                                 .order_by(JournalEntry.id.desc()).limit(1)).one()
            lines = conn.execute(select(Posting.account_id, Posting.amount_minor,
                                        Posting.currency).where(Posting.entry_id == entry.id)
                                 .order_by(Posting.line_no)).all()
        moved = ctx.run(ledger.transfer, SYSTEM, idempotency_key="after-demo-1",
                        from_account_id=a, to_account_id=b, amount_minor=1_00, currency="USD")
        assert not moved.replayed
        replay = ctx.run(ledger.post_entry, SYSTEM, idempotency_key=entry.idempotency_key,
                         kind="deposit", memo=entry.memo, branch_id=entry.branch_id,
                         lines=[Line(*ln) for ln in lines])
        assert replay.replayed and replay.entry_id == entry.id
        new = ctx.run(customers.create_customer, SYSTEM, kind="person", full_name="New Person",
                      branch_id=entry.branch_id)
        assert new.customer_id == 51  # the id sequence continues after the bulk rows
        check_invariants(engine)
    finally:
        engine.dispose()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "app.cli", "demo", *args], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def test_cli_builds_refuses_a_second_bank_and_resets(new_db: Callable[[], str]) -> None:
    url = new_db()
    first = run_cli("--url", url, "--customers", "50")
    assert first.returncode == 0, first.stderr
    assert "done: 50 customers" in first.stdout
    again = run_cli("--url", url, "--customers", "50")
    assert again.returncode == 2 and "--reset" in again.stderr
    reset = run_cli("--url", url, "--customers", "60", "--days", "5", "--reset")
    assert reset.returncode == 0, reset.stderr
    engine = make_engine(url)
    try:
        counts = check_invariants(engine)
        assert counts["customers"] == 60 and counts["days"] == 5
    finally:
        engine.dispose()


def test_bad_sizes_are_refused_before_anything_is_written(new_db: Callable[[], str]) -> None:
    url = new_db()
    bad = run_cli("--url", url, "--customers", "0")
    assert bad.returncode == 2 and "customers" in bad.stderr
    assert not demo.has_bank(url)
    bad_days = run_cli("--url", url, "--days", "1")
    assert bad_days.returncode == 2 and "days" in bad_days.stderr
    assert not demo.has_bank(url)
