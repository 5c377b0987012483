"""Bulk rows into SQLite (executemany on the raw driver) or PostgreSQL (COPY), in batches.

The demo loader computes every value itself (ids, balances, hashes), so rows go straight to the
driver: SQLAlchemy's per-row type processing would cost more than the inserts. Values must be
in the shape both databases read the same way: dates as ISO text, times as UTC text
("YYYY-MM-DD HH:MM:SS.ffffff" + ts_suffix).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from core import limits

Row = tuple[Any, ...]


class BulkWriter:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.is_postgres = conn.dialect.name == "postgresql"
        # UTCDateTime stores naive UTC text on SQLite; PostgreSQL needs the zone spelled out.
        self.ts_suffix = "+00" if self.is_postgres else ""

    def raw(self) -> Any:
        return self.conn.connection.driver_connection

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        if self.is_postgres:
            return self._copy(table, columns, rows)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cur = self.raw().cursor()
        count = 0
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= limits.DEMO_BATCH_ROWS:
                cur.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
        cur.close()
        return count

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        count = 0
        with self.raw().cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def next_id(self, table: str) -> int:
        found = self.conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()
        return int(found) + 1

    def sync_sequences(self, tables: Sequence[str]) -> None:
        """After explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
        if not self.is_postgres:
            return
        for table in tables:
            self.conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))

    def add_to_balances(self, plain: dict[int, int], shards: dict[tuple[int, int], int]) -> None:
        """Apply GL balance deltas: plain accounts on balance_minor, hot ones on their shards."""
        rows = [{"d": d, "i": i} for i, d in sorted(plain.items()) if d]
        if rows:
            self.conn.execute(
                text("UPDATE accounts SET balance_minor = balance_minor + :d WHERE id = :i"), rows)
        shard_rows = [{"d": d, "i": i, "s": s} for (i, s), d in sorted(shards.items()) if d]
        if shard_rows:
            self.conn.execute(
                text("UPDATE balance_shards SET balance_minor = balance_minor + :d "
                     "WHERE account_id = :i AND shard_no = :s"), shard_rows)
