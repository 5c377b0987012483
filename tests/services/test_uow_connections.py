"""CoreContext keeps one connection per thread between use cases; a lost one is replaced."""

from __future__ import annotations

import threading

import psycopg
import pytest
from sqlalchemy import text

from core.services import accounts, ledger
from core.services.authz import SYSTEM
from tests import pg


def backend_id(uow) -> int:
    if uow.is_postgres:
        return int(uow.conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
    return id(uow.conn.connection.dbapi_connection)


def balance(bank, account_id: int) -> int:
    return bank.ctx.read(accounts.get_account, SYSTEM, account_id=account_id).ledger_balance_minor


def test_use_cases_of_one_thread_share_a_connection_threads_do_not(bank):
    first = bank.ctx.read(backend_id, SYSTEM)
    assert bank.ctx.run(backend_id, SYSTEM) == first
    seen: list[int] = []
    t = threading.Thread(target=lambda: seen.append(bank.ctx.read(backend_id, SYSTEM)))
    t.start()
    t.join()
    assert seen and seen[0] != first


def test_lost_connection_is_replaced_and_the_transfer_applied_once(bank, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("a server-side disconnect needs PostgreSQL")
    a = bank.customer_account(deposit_minor=10_000)
    b = bank.customer_account()
    victim = bank.ctx.read(backend_id, SYSTEM)
    with psycopg.connect(pg.ADMIN_URL.rsplit("/", 1)[0] + "/" + db_url.rsplit("/", 1)[1],
                         autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (victim,))
    entry = bank.ctx.run(ledger.transfer, SYSTEM, idempotency_key="lost-conn-0001",
                         from_account_id=a, to_account_id=b, amount_minor=700, currency="USD")
    assert not entry.replayed
    assert bank.ctx.read(backend_id, SYSTEM) != victim
    assert balance(bank, a) == 9_300 and balance(bank, b) == 700
