"""A branch desk for teller tests: a till, a vault with cash, tellers and a supervisor."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from core.models.ledger import Account, BalanceShard, JournalEntry, Posting
from core.models.teller import TellerTransaction
from core.rules.ledger import Line
from core.services import ledger
from core.services.authz import SYSTEM
from core.services.teller import tills
from core.unit_of_work import Actor

CASHIER = frozenset({"teller.session", "teller.deposit", "teller.withdraw", "teller.transfer"})
TINA = Actor("tina", role="teller", branch_id=1, permissions=CASHIER)
TOM = Actor("tom", role="teller", branch_id=1, permissions=CASHIER)
HANA = Actor("hana", role="head_teller", branch_id=1, permissions=CASHIER | {
    "teller.reverse", "teller.override", "teller.vault", "teller.view_branch"})

_keys = itertools.count(1)


def key(tag: str = "k") -> str:
    return f"{tag}-{next(_keys):08d}"


@dataclass
class Desk:
    bank: object
    till_id: int
    till_account: int
    keys: list[str] = field(default_factory=list)

    @property
    def ctx(self):  # noqa: ANN201 - test helper
        return self.bank.ctx

    def counts(self) -> tuple[int, int, int]:
        with self.ctx.engine.connect() as conn:
            return tuple(conn.execute(select(func.count()).select_from(m)).scalar_one()
                         for m in (JournalEntry, Posting, TellerTransaction))

    def till_cash(self) -> int:
        with self.ctx.engine.connect() as conn:
            return conn.execute(select(Account.balance_minor).where(
                Account.id == self.till_account)).scalar_one()


def ledger_is_balanced(ctx) -> None:
    """Per currency the postings sum to zero and every balance equals its postings."""
    with ctx.engine.connect() as conn:
        per_currency = conn.execute(select(Posting.currency, func.sum(Posting.amount_minor))
                                    .group_by(Posting.currency)).all()
        assert all(total == 0 for _, total in per_currency), per_currency
        moved = dict(conn.execute(select(Posting.account_id, func.sum(Posting.amount_minor))
                                  .group_by(Posting.account_id)).all())
        shards = dict(conn.execute(select(BalanceShard.account_id,
                                          func.sum(BalanceShard.balance_minor))
                                   .group_by(BalanceShard.account_id)).all())
        for acc in conn.execute(select(Account.id, Account.balance_minor, Account.normal_sign)):
            natural = acc.balance_minor + shards.get(acc.id, 0)
            assert natural * acc.normal_sign == moved.get(acc.id, 0), acc.id


@pytest.fixture
def desk(bank) -> Desk:
    till = bank.ctx.run(tills.create_till, SYSTEM, branch_id=bank.branch_id, code="T1",
                        name="Counter 1", cash_limits_minor={"USD": 2_000_000})
    # The vault starts the day with 50,000.00 funded from share capital.
    bank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key="vault-seed-0001", kind="seed",
                 lines=[Line(bank.gl["1000"], 5_000_000, "USD"),
                        Line(bank.gl["3000"], -5_000_000, "USD")])
    return Desk(bank, till.till_id, till.currencies[0].account_id)
