"""Fixtures: every service test runs on a SQLite file and on PostgreSQL (when reachable)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import core.models  # noqa: E402,F401
from core.clock import Clock  # noqa: E402
from core.db import Base, make_engine  # noqa: E402
from core.unit_of_work import CoreContext  # noqa: E402
from tests import pg  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def pytest_report_header(config: pytest.Config) -> str:
    if pg.reachable():
        return f"databases: SQLite and PostgreSQL ({pg.ADMIN_URL})"
    return f"databases: SQLite only -- {pg.reason}; PostgreSQL variants are SKIPPED"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not pg.reachable():
        terminalreporter.write_line(f"NOTE: {pg.reason}: PostgreSQL tests were skipped", red=True)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not pg.reachable():
        pytest.skip(pg.reason)
    url = pg.create_database()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    pg.drop_database(url)


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A clean, schema-ready database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bank.sqlite3'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
    else:
        url = request.getfixturevalue("pg_url")
        _truncate_all(url)
        yield url


@pytest.fixture
def ctx(db_url: str) -> Iterator[CoreContext]:
    engine = make_engine(db_url)
    yield CoreContext(engine=engine, clock=Clock(), workstation="test-ws")
    engine.dispose()


@dataclass
class Bank:
    """A small bank for service tests: one branch with a GL chart, helpers to open accounts."""

    ctx: CoreContext
    branch_id: int
    gl: dict[str, int]

    def customer_account(self, currency: str = "USD", *, deposit_minor: int = 0,
                         overdraft_minor: int = 0, name: str = "Ada Lovelace") -> int:
        from core.services import accounts, customers, ledger
        from core.services.authz import SYSTEM

        cust = self.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                            branch_id=self.branch_id, born_on=date(1990, 1, 1))
        acc = self.ctx.run(accounts.open_account, SYSTEM, customer_id=cust.customer_id,
                           currency=currency, overdraft_limit_minor=overdraft_minor)
        if deposit_minor:
            from core.rules.ledger import Line

            gl = self.gl_for(currency, "1000")
            self.ctx.run(ledger.post_entry, SYSTEM, idempotency_key=f"seed-{acc.account_id}-x",
                         kind="deposit", lines=[Line(gl, deposit_minor, currency),
                                                Line(acc.account_id, -deposit_minor, currency)])
        return acc.account_id

    def gl_for(self, currency: str, code: str) -> int:
        from core.services import setup
        from core.services.authz import SYSTEM

        ids = self.ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=self.branch_id,
                           currency=currency)
        return ids[code]


@pytest.fixture
def bank(ctx: CoreContext) -> Bank:
    from core.services import setup
    from core.services.authz import SYSTEM

    ctx.run(setup.init_bank, SYSTEM, bank_name="Test Bank", base_currency="USD",
            business_date=date(2026, 12, 4))
    branch = ctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office",
                     currencies=("USD",))
    gl = ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=branch.branch_id, currency="USD")
    return Bank(ctx, branch.branch_id, gl)
