"""The bench database: schema, a bank with a branch and GL chart, and fresh funded accounts.

Everything is created through the services (customers, accounts, deposits), as a bank would.
Each run opens its own accounts so that reruns against the same database are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from core.clock import Clock
from core.rules.ledger import Line
from core.services import accounts, customers, ledger, setup
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext, UnitOfWork

BRANCH_CODE = "BENCH"
CURRENCY = "USD"
FUNDING_MINOR = 10**10  # per account: far above what a run can move, so no transfer is refused
OPEN_BATCH = 100  # accounts opened per transaction
DEPOSIT_BATCH = 63  # credits per deposit entry (one vault debit + 63 <= MAX_ENTRY_LINES)
HOT_GL_CODES = ("4000", "4200")  # fee income and FX spread income: hot, balances in shards
VAULT_GL_CODE = "1000"


@dataclass(frozen=True)
class BenchBank:
    branch_id: int
    accounts: tuple[int, ...]
    hot: tuple[int, ...]
    vault: int


def _bank_exists(uow: UnitOfWork) -> bool:
    return uow.conn.execute(text("SELECT 1 FROM bank_calendar WHERE id = 1")).first() is not None


def _branch_id(uow: UnitOfWork, *, code: str) -> int | None:
    from core.models.org import Branch

    return uow.session.execute(select(Branch.id).where(Branch.code == code)).scalar()


def _open_batch(uow: UnitOfWork, *, branch_id: int, tag: str, start: int,
                count: int) -> list[int]:
    """Open `count` customers with one account each, in one transaction."""
    ids = []
    for n in range(start, start + count):
        cust = customers.create_customer(uow, kind="person", full_name=f"Bench Customer {tag} {n}",
                                         branch_id=branch_id, born_on=date(1980, 1, 1))
        acc = accounts.open_account(uow, customer_id=cust.customer_id, currency=CURRENCY)
        ids.append(acc.account_id)
    return ids


def prepare_bank(ctx: CoreContext) -> tuple[int, dict[str, int]]:
    """The bank, its bench branch and the branch's USD GL chart, created where missing."""
    if not ctx.read(_bank_exists, SYSTEM):
        ctx.run(setup.init_bank, SYSTEM, bank_name="Bench Bank", base_currency=CURRENCY,
                business_date=ctx.clock.now().date())
    branch_id = ctx.read(_branch_id, SYSTEM, code=BRANCH_CODE)
    if branch_id is None:
        branch_id = ctx.run(setup.create_branch, SYSTEM, code=BRANCH_CODE, name="Benchmarks",
                            currencies=(CURRENCY,)).branch_id
    gl = ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=branch_id, currency=CURRENCY)
    return branch_id, gl


def prepare(engine: Engine, *, n_accounts: int, tag: str) -> BenchBank:
    """Schema (kept when present), bank, branch, and n fresh accounts funded by deposits."""
    import core.models  # noqa: F401 - registers every table on Base.metadata
    from core.db import Base

    Base.metadata.create_all(engine)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation=f"bench-setup-{tag}")
    branch_id, gl = prepare_bank(ctx)
    ids: list[int] = []
    for start in range(0, n_accounts, OPEN_BATCH):
        ids += ctx.run(_open_batch, SYSTEM, branch_id=branch_id, tag=tag, start=start,
                       count=min(OPEN_BATCH, n_accounts - start))
    vault = gl[VAULT_GL_CODE]
    for start in range(0, len(ids), DEPOSIT_BATCH):
        batch = ids[start:start + DEPOSIT_BATCH]
        lines = [Line(vault, FUNDING_MINOR * len(batch), CURRENCY)]
        lines += [Line(acc, -FUNDING_MINOR, CURRENCY) for acc in batch]
        ctx.run(ledger.post_entry, SYSTEM, idempotency_key=f"bench-{tag}-fund-{start}",
                kind="deposit", lines=lines, memo="bench funding", branch_id=branch_id)
    engine.dispose()
    return BenchBank(branch_id, tuple(ids), tuple(gl[c] for c in HOT_GL_CODES), vault)


_CHECK_SQL = """
SELECT a.id, a.normal_sign,
       a.balance_minor + COALESCE((SELECT SUM(s.balance_minor) FROM balance_shards s
                                   WHERE s.account_id = a.id), 0) AS balance,
       COALESCE((SELECT SUM(p.amount_minor) FROM postings p WHERE p.account_id = a.id), 0)
           AS posted
FROM accounts a WHERE a.id IN ({ids})
"""


def balances(engine: Engine, account_ids: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """account id -> (stored balance incl. shards, natural sum of its postings)."""
    ids = ", ".join(str(int(a)) for a in account_ids)
    with engine.connect() as conn:
        rows = conn.execute(text(_CHECK_SQL.format(ids=ids))).all()
    return {r.id: (int(r.balance), int(r.posted) * int(r.normal_sign)) for r in rows}


def check_invariants(engine: Engine, bank: BenchBank, before: dict[int, int]) -> dict[str, object]:
    """Every account's balance equals its postings; the money in the run's accounts is conserved."""
    now = balances(engine, bank.accounts + bank.hot)
    mismatched = sorted(a for a, (bal, posted) in now.items() if bal != posted)
    total_before = sum(before.values())
    total_after = sum(bal for bal, _ in now.values())
    return {"ok": not mismatched and total_before == total_after,
            "mismatched_accounts": mismatched[:20], "total_before_minor": total_before,
            "total_after_minor": total_after}
