"""PostgreSQL: the application's login role may append to the audit trail, never rewrite it.

The schema owner runs migrations; workstations connect as an application role that can read
and write business tables but has no UPDATE, DELETE or TRUNCATE on the append-only tables
(audit_events, journal_entries, postings). The triggers in core/guards.py stop the owner too.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from core.db import make_engine
from core.guards import APPEND_ONLY_TABLES

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(url: str, role: str, password: str | None = None) -> list[str]:
    """Create the role if missing and set its grants; returns the statements run."""
    if not _ROLE_NAME.match(role):
        raise ValueError("role name: lower-case letters, digits and _, starting with a letter")
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise ValueError("application roles exist on PostgreSQL only")
    done: list[str] = []
    try:
        with engine.begin() as conn:
            dbname = conn.execute(text("SELECT current_database()")).scalar_one()
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                  {"r": role}).first()
            stmts = [] if exists else [f'CREATE ROLE "{role}" LOGIN']
            if password is not None:
                # psycopg cannot bind parameters in utility statements; quote the literal
                quoted = conn.exec_driver_sql("SELECT quote_literal(%s)", (password,)).scalar_one()
                stmts.append(f'ALTER ROLE "{role}" PASSWORD {quoted}')
            stmts += [
                f'GRANT CONNECT ON DATABASE "{dbname}" TO "{role}"',
                f'GRANT USAGE ON SCHEMA public TO "{role}"',
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
                f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
                f'REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public '
                f'FROM "{role}"',
            ]
            stmts += [f'REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM "{role}"'
                      for t in APPEND_ONLY_TABLES]
            for stmt in stmts:
                conn.exec_driver_sql(stmt)
                done.append(stmt if "PASSWORD" not in stmt else f'ALTER ROLE "{role}" PASSWORD ***')
    finally:
        engine.dispose()
    return done
