"""Bulk customers (and one account each) for the search benchmark: fast, deterministic.

The search indexes are dropped during the load (the benchmark measures its baseline without
them, then builds them once: much faster than a million FTS/GIN updates row by row); rows go in through executemany on SQLite and
COPY on PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from core import limits, search_index
from core.models.customers import Customer
from core.models.org import Branch
from core.rules.chart import luhn_digit

FIRST = ("Ada Alan Amira Ana Anna Arjun Aziz Beatriz Ben Carla Carlos Chen Chloe Daniel David "
         "Diego Elena Emma Fatima Felix Grace Hana Hassan Ines Ivan Jack Jana Jose Juan Julia "
         "Kai Karim Laila Lars Layla Leo Lina Lucas Lucia Maria Marco Maya Mei Mohammed Nadia "
         "Noah Nora Omar Oscar Paul Priya Rafael Rania Rosa Sami Sara Sofia Tariq Tom Uma Victor "
         "Wei Yara Yusuf Zara Zoe Björn Søren Zoë Renée Łukasz").split()
LAST = ("Abbas Adams Ahmed Alvarez Andersen Baker Bauer Brown Campbell Chen Costa Cruz Dubois "
        "Evans Fernandez Fischer Garcia Gomez Green Haddad Hall Hansen Hughes Ibrahim Ito Jansen "
        "Johnson Jones Kaur Khan Kim Klein Kowalski Lambert Larsen Lee Lopez Martin Meyer Miller "
        "Moreau Murphy Nakamura Nguyen Novak Ortiz Patel Perez Petrov Quinn Rahman Reyes Rossi "
        "Saleh Santos Schmidt Silva Singh Smith Sousa Suzuki Tanaka Taylor Thomas Walker Wang "
        "Weber Williams Wilson Wong Yamamoto Young Zhang Müller Núñez Öztürk Håkansson "
        "Castañeda Gonçalves").split()
_PERM = 2_654_435_761  # coprime with 9e9: i -> account body is a permutation, so no collisions


def account_number(i: int) -> str:
    body = str(1_000_000_000 + (i * _PERM) % 9_000_000_000)
    return body + luhn_digit(body)


def fake_customer(rng: random.Random, i: int) -> tuple[str, str, str]:
    """(full name, phone as typed, national id as typed) of customer number i."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if rng.random() < 0.3:
        name = f"{rng.choice(FIRST)} {name}"
    phone = f"+{rng.choice((1, 44, 49, 973, 34))} {rng.randrange(100, 999)} " \
            f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
    ident = f"{rng.choice('ABCDEFGHKLMNPRSTXYZ')}{rng.choice('ABCDEFGHKLMNPRSTXYZ')}" \
            f"-{rng.randrange(10**6, 10**7)}"
    return name, phone, ident


def count_customers(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Customer)).scalar_one())


def _rows(start: int, n: int, branch_id: int, now: str) -> Iterator[tuple[tuple, tuple]]:
    rng = random.Random(start)
    for i in range(start, start + n):
        name, phone, ident = fake_customer(rng, i)
        yield ((i, f"B{i:09d}", "person", name, ident, phone, branch_id, now),
               (i, account_number(i), f"{name} USD", "customer", "liability", "2000", -1, "USD",
                branch_id, i, "CURRENT", "active", True, 0, False, 0, 0, now))


_CUST_COLS = "id, customer_no, kind, full_name, national_id, phone, branch_id, created_at"
_ACC_COLS = ("id, number, name, kind, gl_type, gl_code, normal_sign, currency, branch_id, "
             "customer_id, product_code, status, enforce_floor, overdraft_limit_minor, is_hot, "
             "balance_minor, held_minor, opened_at")


def _next_ids(engine: Engine) -> int:
    with engine.connect() as conn:
        a = conn.execute(text("SELECT coalesce(max(id), 0) FROM customers")).scalar_one()
        b = conn.execute(text("SELECT coalesce(max(id), 0) FROM accounts")).scalar_one()
    return int(max(a, b)) + 1


def drop_search_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        for stmt in search_index.drop_statements(engine.dialect.name):
            conn.exec_driver_sql(stmt)


def build_search_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        search_index.install(conn)
        conn.exec_driver_sql("ANALYZE")


def bulk_load(engine: Engine, n: int) -> None:
    """Add n customers with one USD account each, the search indexes left dropped."""
    with engine.connect() as conn:
        branch_id = conn.execute(select(Branch.id).order_by(Branch.id).limit(1)).scalar_one()
    start = _next_ids(engine)
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    dialect = engine.dialect.name
    drop_search_indexes(engine)
    raw = engine.raw_connection()
    try:
        if dialect == "postgresql":
            _copy_pg(raw, start, n, branch_id, now)
        else:
            _insert_sqlite(raw, start, n, branch_id, now)
    finally:
        raw.close()


def _insert_sqlite(raw, start: int, n: int, branch_id: int, now: str) -> None:  # noqa: ANN001
    cur = raw.cursor()
    batch = limits.DEMO_BATCH_ROWS * 10
    rows = _rows(start, n, branch_id, now)
    done = 0
    while done < n:
        chunk = [next(rows) for _ in range(min(batch, n - done))]
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany(f"INSERT INTO customers ({_CUST_COLS}) VALUES (?,?,?,?,?,?,?,?)",
                        [c for c, _ in chunk])
        cur.executemany(f"INSERT INTO accounts ({_ACC_COLS}) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [a for _, a in chunk])
        cur.execute("COMMIT")
        done += len(chunk)


def _copy_pg(raw, start: int, n: int, branch_id: int, now: str) -> None:  # noqa: ANN001
    dbapi = raw.driver_connection
    with dbapi.cursor() as cur:
        with cur.copy(f"COPY customers ({_CUST_COLS}) FROM STDIN") as cp:
            for c, _ in _rows(start, n, branch_id, now):
                cp.write_row(c)
        with cur.copy(f"COPY accounts ({_ACC_COLS}) FROM STDIN") as cp:
            for _, a in _rows(start, n, branch_id, now):
                cp.write_row(a)
        for table in ("customers", "accounts"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
    dbapi.commit()
