"""The floor: the least SQL that does one transfer (2 balance updates with the overdraft check,
a journal row, the two postings, commit), straight through the database driver.

It writes the same rows the service path writes (minus the audit event and the idempotency
check) so the ledger invariants still hold after a benchmark.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import make_url

from core.db import normalize_url

# Customer accounts are liabilities (normal_sign -1): a debit lowers the natural balance.
_DEBIT = (
    "UPDATE accounts SET balance_minor = balance_minor - {p} WHERE id = {p} "
    "AND balance_minor - {p} - held_minor >= -overdraft_limit_minor"
)
_CREDIT = "UPDATE accounts SET balance_minor = balance_minor + {p} WHERE id = {p}"
_ENTRY = (
    "INSERT INTO journal_entries (reference, idempotency_key, request_hash, kind, memo, "
    "business_date, posted_at, branch_id, actor) "
    "VALUES ({p}, {p}, {p}, 'transfer', '', {p}, {p}, {p}, 'bench-floor') RETURNING id"
)
_POSTINGS = (
    "INSERT INTO postings (entry_id, account_id, currency, amount_minor, line_no) "
    "VALUES ({p}, {p}, {p}, {p}, 1), ({p}, {p}, {p}, {p}, 2)"
)

Transfer = Callable[[str, int, int, int], bool]


class Refused(Exception):
    """The debited account lacked funds: the floor rolled back."""


def connect(url: str, branch_id: int) -> tuple[Transfer, Callable[[], None]]:
    """A transfer function (key, from, to, amount) and a closer, for this database URL."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(str(parsed.database), branch_id)
    return _postgres(parsed.set(drivername="postgresql").render_as_string(False), branch_id)


def _statements(p: str) -> tuple[str, ...]:
    return tuple(s.format(p=p) for s in (_DEBIT, _CREDIT, _ENTRY, _POSTINGS))


def _postgres(conninfo: str, branch_id: int) -> tuple[Transfer, Callable[[], None]]:
    import psycopg

    conn = psycopg.connect(conninfo)  # psycopg prepares statements after a few executions
    debit, credit, entry, postings = _statements("%s")
    bdate = conn.execute("SELECT business_date FROM bank_calendar WHERE id = 1").fetchone()[0]
    conn.commit()
    hash32 = bytes(32)

    def transfer(key: str, src: int, dst: int, amount: int) -> bool:
        cur = conn.cursor()
        try:
            # lock in id order, as the service path does, so workers never deadlock
            for acc in sorted((src, dst)):
                if acc == src:
                    cur.execute(debit, (amount, src, amount))
                    if cur.rowcount != 1:
                        raise Refused(src)
                else:
                    cur.execute(credit, (amount, dst))
            cur.execute(entry, (key, key, hash32, bdate, datetime.now(UTC), branch_id))
            entry_id = cur.fetchone()[0]  # type: ignore[index]
            cur.execute(postings, (entry_id, src, "USD", amount, entry_id, dst, "USD", -amount))
            conn.commit()
            return True
        except Exception:
            conn.rollback()
            raise

    return transfer, conn.close


def _sqlite(path: str, branch_id: int) -> tuple[Transfer, Callable[[], None]]:
    from core import limits

    conn = sqlite3.connect(path, isolation_level=None, timeout=limits.SQLITE_BUSY_TIMEOUT_MS / 1000)
    # the same settings the engine factory applies (core/db.py)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON",
                   f"busy_timeout={limits.SQLITE_BUSY_TIMEOUT_MS}", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    debit, credit, entry, postings = _statements("?")
    bdate: Any = conn.execute("SELECT business_date FROM bank_calendar WHERE id = 1").fetchone()[0]
    if isinstance(bdate, date):
        bdate = bdate.isoformat()
    hash32 = bytes(32)

    def transfer(key: str, src: int, dst: int, amount: int) -> bool:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute(debit, (amount, src, amount)).rowcount != 1:
                raise Refused(src)
            conn.execute(credit, (amount, dst))
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            entry_id = conn.execute(entry, (key, key, hash32, bdate, now, branch_id)).fetchone()[0]
            conn.execute(postings, (entry_id, src, "USD", amount, entry_id, dst, "USD", -amount))
            conn.execute("COMMIT")
            return True
        except Exception:
            conn.execute("ROLLBACK")
            raise

    return transfer, conn.close
