"""Database-side guards: postings, journal entries and audit events are append-only.

Attached to the tables' after_create so that metadata.create_all (tests) and the migrations
(which call install()) build the same triggers. On PostgreSQL the audit trail is also protected
by grants (see migrations); a trigger catches the owner role too.
"""

from __future__ import annotations

from sqlalchemy import DDL, Connection, Table, event

APPEND_ONLY_TABLES = ("journal_entries", "postings", "audit_events")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cbs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cbs: % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def pg_statements(table: str) -> list[str]:
    return [
        _PG_FUNCTION,
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION cbs_refuse_change()",
    ]


def sqlite_statements(table: str) -> list[str]:
    stmts = []
    for op in ("UPDATE", "DELETE"):
        name = f"{table}_no_{op.lower()}"
        stmts.append(f"DROP TRIGGER IF EXISTS {name}")
        stmts.append(
            f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'cbs: {table} is append-only: {op} refused'); END"
        )
    return stmts


def statements(dialect: str, table: str) -> list[str]:
    return pg_statements(table) if dialect == "postgresql" else sqlite_statements(table)


def install(conn: Connection) -> None:
    # psycopg reads '%' as a placeholder even without parameters
    escape = conn.dialect.name == "postgresql"
    for table in APPEND_ONLY_TABLES:
        for stmt in statements(conn.dialect.name, table):
            conn.exec_driver_sql(stmt.replace("%", "%%") if escape else stmt)


def attach(tables: dict[str, Table]) -> None:
    for name in APPEND_ONLY_TABLES:
        for dialect in ("postgresql", "sqlite"):
            for stmt in statements(dialect, name):
                event.listen(tables[name], "after_create",
                             DDL(stmt.replace("%", "%%")).execute_if(dialect=dialect))
