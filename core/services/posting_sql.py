"""The posting fast path: as few round trips as the database allows.

PostgreSQL: one statement (CTE) inserts the entry, locks the plain accounts in id order, moves
their balances with the limit checks in the WHERE clause, moves a random shard of each hot
account, inserts the postings and appends the audit event. SQLite: the same steps as separate
statements inside BEGIN IMMEDIATE (in-process, so a statement costs microseconds, not a trip).

Whatever did not move is diagnosed afterwards (ledger.diagnose) to give the precise refusal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import DBAPIError

from core.services.audit import next_hash_sql
from core.unit_of_work import UnitOfWork

# An account moves only when active, or dormant and receiving; a floor-enforced account only
# when its natural balance less holds stays above minus its overdraft limit.
_MOVE_ALLOWED = """
    a.currency = v.currency
    AND (a.status = 'active' OR (a.status = 'dormant' AND v.amount * a.normal_sign > 0))
    AND (NOT a.enforce_floor OR v.amount * a.normal_sign >= 0
         OR a.balance_minor + v.amount * a.normal_sign - a.held_minor >= -a.overdraft_limit_minor)
"""

_ENTRY_COLUMNS = (
    "reference, idempotency_key, request_hash, kind, memo, business_date, posted_at, "
    "branch_id, actor, reverses_entry_id"
)
_ENTRY_VALUES = (
    ":reference, :idempotency_key, :request_hash, :kind, :memo, c.business_date, :posted_at, "
    ":branch_id, :actor, :reverses_entry_id"
)
_AUDIT_COLUMNS = (
    "chain_id, occurred_at, actor, workstation, action, entity_type, entity_id, outcome, "
    "correlation_id, payload"
)
_AUDIT_VALUES = (
    ":a_chain_id, :a_occurred_at, :a_actor, :a_workstation, :a_action, :a_entity_type, "
    ":a_entity_id, :a_outcome, :a_correlation_id, :a_payload"
)


def _values(prefix: str, n: int, cols: tuple[tuple[str, str], ...]) -> str:
    rows = []
    for i in range(n):
        rows.append("(" + ", ".join(f"CAST(:{prefix}{c}{i} AS {t})" for c, t in cols) + ")")
    return ", ".join(rows)


@lru_cache(maxsize=64)
def pg_post(n_accounts: int, n_lines: int) -> TextClause:
    acct = _values("v", n_accounts, (("id", "BIGINT"), ("amt", "BIGINT"), ("cur", "VARCHAR(3)")))
    lines = _values("l", n_lines,
                    (("id", "BIGINT"), ("amt", "BIGINT"), ("cur", "VARCHAR(3)"), ("no", "SMALLINT")))
    next_hash = next_hash_sql("postgresql", "last_hash", ":a_digest")
    return text(f"""
WITH e AS (
    INSERT INTO journal_entries ({_ENTRY_COLUMNS})
    SELECT {_ENTRY_VALUES} FROM bank_calendar c WHERE c.id = 1
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, business_date
), v(account_id, amount, currency) AS (VALUES {acct}
), lk AS MATERIALIZED (
    SELECT a.id FROM accounts a
    WHERE a.id IN (SELECT account_id FROM v) AND NOT a.is_hot AND EXISTS (SELECT 1 FROM e)
    ORDER BY a.id FOR UPDATE
), u AS (
    UPDATE accounts a SET balance_minor = a.balance_minor + v.amount * a.normal_sign
    FROM v WHERE a.id = v.account_id AND a.id IN (SELECT id FROM lk) AND {_MOVE_ALLOWED}
    RETURNING a.id
), uh AS (
    UPDATE balance_shards s SET balance_minor = s.balance_minor + v.amount * a.normal_sign
    FROM v JOIN accounts a ON a.id = v.account_id
    WHERE s.account_id = v.account_id AND s.shard_no = :shard_no AND a.is_hot
      AND EXISTS (SELECT 1 FROM e) AND {_MOVE_ALLOWED}
    RETURNING s.account_id
), p AS (
    INSERT INTO postings (entry_id, account_id, currency, amount_minor, line_no)
    SELECT e.id, l.account_id, l.currency, l.amount, l.line_no
    FROM e, (VALUES {lines}) AS l(account_id, amount, currency, line_no)
    -- only when every account moved: a refused entry leaves no orphan row to trip a key
    WHERE (SELECT count(*) FROM u) + (SELECT count(*) FROM uh) = {n_accounts}
), h AS (
    UPDATE audit_chains SET last_seq = last_seq + 1, last_hash = {next_hash}
    WHERE chain_id = :a_chain_id AND EXISTS (SELECT 1 FROM e)
    RETURNING last_seq, last_hash
), ae AS (
    INSERT INTO audit_events ({_AUDIT_COLUMNS}, seq, hash)
    SELECT {_AUDIT_VALUES}, h.last_seq, h.last_hash FROM h
)
SELECT 'e' AS k, e.id AS id, e.business_date AS business_date FROM e
UNION ALL SELECT 'u', u.id, NULL FROM u
UNION ALL SELECT 'h', uh.account_id, NULL FROM uh
""")


@lru_cache(maxsize=64)
def pg_post_sql(n_accounts: int, n_lines: int) -> str:
    """The statement as psycopg takes it (%(name)s), for execution on the driver connection."""
    return str(pg_post(n_accounts, n_lines).compile(dialect=_PG_DIALECT))


_PG_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]


def pg_params(base: dict[str, Any], net: dict[int, tuple[int, str]],
              lines: list[tuple[int, int, str]]) -> dict[str, Any]:
    params = dict(base)
    for i, (account_id, (amount, currency)) in enumerate(net.items()):
        params[f"vid{i}"] = account_id
        params[f"vamt{i}"] = amount
        params[f"vcur{i}"] = currency
    for i, (account_id, amount, currency) in enumerate(lines):
        params[f"lid{i}"] = account_id
        params[f"lamt{i}"] = amount
        params[f"lcur{i}"] = currency
        params[f"lno{i}"] = i + 1
    return params


def driver_execute(uow: UnitOfWork, sql: str, params: Any, *, many: bool = False) -> Any:
    """Run a statement straight on the DBAPI connection and return the cursor.

    The posting path sends a handful of fixed statements per transfer; going through
    SQLAlchemy's execution machinery costs more than SQLite takes to run them. Errors are
    wrapped as SQLAlchemy would (IntegrityError, OperationalError... with .orig), and a lost
    connection is invalidated, so CoreContext's retries behave the same.
    """
    uow.begin()
    conn = uow.conn
    dbapi_conn = conn.connection.dbapi_connection
    cur = dbapi_conn.cursor()  # type: ignore[union-attr]
    try:
        if many:
            cur.executemany(sql, params)
        else:
            cur.execute(sql, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        lost = conn.dialect.is_disconnect(exc, dbapi_conn, cur)
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error,
                                  connection_invalidated=lost, dialect=conn.dialect) from exc
    return cur


def sqlite_value(value: Any) -> Any:
    """Bind values as SQLAlchemy stores them in SQLite (naive UTC text for UTCDateTime)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware times")
        v = value.astimezone(UTC)
        return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:"
                f"{v.second:02d}.{v.microsecond:06d}")
    if isinstance(value, date):
        return value.isoformat()
    return value


def sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: sqlite_value(v) for k, v in params.items()}


# --- SQLite: the same steps, one statement each --------------------------------------------------
SQLITE_INSERT_ENTRY = f"""
INSERT INTO journal_entries ({_ENTRY_COLUMNS})
SELECT {_ENTRY_VALUES} FROM bank_calendar c WHERE c.id = 1
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, business_date
"""

SQLITE_MOVE_PLAIN = f"""
UPDATE accounts AS a SET balance_minor = a.balance_minor + v.amount * a.normal_sign
FROM (SELECT :amount AS amount, :currency AS currency) AS v
WHERE a.id = :account_id AND NOT a.is_hot AND {_MOVE_ALLOWED}
RETURNING id
"""

SQLITE_MOVE_HOT = f"""
UPDATE balance_shards AS s SET balance_minor = s.balance_minor + v.amount * a.normal_sign
FROM (SELECT :amount AS amount, :currency AS currency) AS v, accounts AS a
WHERE s.account_id = :account_id AND s.shard_no = :shard_no AND a.id = s.account_id
  AND a.is_hot AND {_MOVE_ALLOWED}
RETURNING account_id
"""

SQLITE_INSERT_POSTING = (
    "INSERT INTO postings (entry_id, account_id, currency, amount_minor, line_no) "
    "VALUES (:entry_id, :account_id, :currency, :amount_minor, :line_no)"
)

SQLITE_BUMP_CHAIN = (
    "UPDATE audit_chains SET last_seq = last_seq + 1, "
    f"last_hash = {next_hash_sql('sqlite', 'last_hash', ':digest')} "
    "WHERE chain_id = :chain_id RETURNING last_seq, last_hash"
)

SQLITE_INSERT_AUDIT = (
    f"INSERT INTO audit_events ({_AUDIT_COLUMNS.replace('a_', '')}, seq, hash) "
    f"VALUES ({_AUDIT_VALUES.replace(':a_', ':')}, :seq, :hash)"
)
