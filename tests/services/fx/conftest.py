"""A bank with USD base, GL charts in EUR, GBP, JPY (exp 0) and BHD (exp 3), a clock we move,
rates in force, and the people of an FX desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.clock import FixedClock
from core.models.ledger import Account, Posting
from core.services import accounts, fx, setup
from core.services.authz import SYSTEM
from core.unit_of_work import Actor

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fx"
CURRENCIES = ("EUR", "GBP", "JPY", "BHD")
NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)

# Rates in USD per unit (hand arithmetic in the tests uses these).
RATES_CSV = """currency,buy,sell,mid,effective_at
EUR,1.08,1.12,1.10,2026-12-04T09:00:00Z
GBP,1.25,1.29,1.27,2026-12-04T09:00:00Z
JPY,0.0066,0.0068,0.0067,2026-12-04T09:00:00Z
BHD,2.64,2.68,2.66,2026-12-04T09:00:00Z
"""

MAKER = Actor("maria", role="fx", permissions=frozenset({"fx.rates.enter", "fx.rates.approve",
                                                          "fx.view"}))
CHECKER = Actor("chen", role="fx", permissions=frozenset({"fx.rates.approve", "fx.view"}))
# Counter staff act in their own branch: the bank fixture's HQ is the first branch (id 1).
TELLER = Actor("tom", role="teller", branch_id=1,
               permissions=frozenset({"fx.exchange", "fx.view"}))
SUPERVISOR = Actor("sara", role="supervisor", branch_id=1,
                   permissions=frozenset({"fx.exchange", "fx.view", "fx.override_stale"}))


@dataclass
class FxBank:
    bank: object
    clock: FixedClock

    @property
    def ctx(self):
        return self.bank.ctx

    @property
    def branch_id(self) -> int:
        return self.bank.branch_id

    def gl(self, currency: str, code: str) -> int:
        return self.bank.gl_for(currency, code)

    def balance(self, account_id: int) -> int:
        return self.ctx.read(accounts.get_account, SYSTEM,
                             account_id=account_id).ledger_balance_minor

    def account(self, currency: str, deposit_minor: int = 0) -> int:
        return self.bank.customer_account(currency, deposit_minor=deposit_minor)

    def till(self, currency: str) -> int:
        """A till-like cash account: GL asset with a floor (a till cannot pay out what it lacks)."""
        def make(uow):
            acc = Account(number=f"TILL-{currency}", name=f"Till {currency}", kind="gl",
                          gl_type="asset", gl_code="1010", normal_sign=1, currency=currency,
                          branch_id=self.branch_id, status="active", enforce_floor=True,
                          overdraft_limit_minor=0, is_hot=False, balance_minor=0, held_minor=0,
                          opened_at=uow.clock.now())
            uow.session.add(acc)
            uow.session.flush()
            return acc.id
        return self.ctx.run(make, SYSTEM)

    def unbalanced(self) -> list[tuple[int, str, int]]:
        """(entry, currency, sum) for every entry whose postings do not sum to zero per currency."""
        with self.ctx.engine.connect() as conn:
            rows = conn.execute(
                select(Posting.entry_id, Posting.currency, func.sum(Posting.amount_minor))
                .group_by(Posting.entry_id, Posting.currency)
                .having(func.sum(Posting.amount_minor) != 0)).all()
        return [tuple(r) for r in rows]


@pytest.fixture
def fxbank(bank) -> FxBank:
    clock = FixedClock(NOW)
    bank.ctx.clock = clock
    for currency in CURRENCIES:
        bank.ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=bank.branch_id, currency=currency)
    bank.ctx.run(fx.import_rates_csv, SYSTEM, text=RATES_CSV)
    return FxBank(bank, clock)
