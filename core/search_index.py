"""Search-as-you-type indexes for the teller's customer lookup, built by the database itself.

Names: SQLite FTS5 (external content over customers, kept in step by triggers) answers
word-prefix queries; PostgreSQL a pg_trgm GIN index over the lower-cased, accent-folded name
answers "contains each typed word" over name_key, a column a trigger keeps folded.
Phones and ID numbers: expression indexes over a normalised form (separators stripped), and
account numbers a binary-collated index, so that a prefix is a range scan on both databases.
Attached to the tables' after_create like core/guards.py, so create_all and the migrations
(which call install()) agree; rows written by any path (bulk demo loads too) are indexed.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import DDL, Connection, Table, event

FTS_TABLE = "customer_name_fts"
# Built here by DDL, not by the models: alembic's comparison leaves them alone.
DDL_INDEXES = frozenset({"ix_customers_phone_key", "ix_customers_id_key",
                         "ix_customers_name_trgm", "ix_accounts_number_binary"})
_PHONE_SEPARATORS = (" ", "-", "+", "(", ")", ".", "/")
_ID_SEPARATORS = (" ", "-", "/", ".")


def _strip(column: str, chars: tuple[str, ...]) -> str:
    expr = column
    for ch in chars:
        expr = f"replace({expr}, '{ch}', '')"
    return expr


def phone_key_sql(column: str = "phone") -> str:
    return _strip(column, _PHONE_SEPARATORS)


def id_key_sql(column: str = "national_id") -> str:
    return f"upper({_strip(column, _ID_SEPARATORS)})"




def _fold_map() -> tuple[str, str]:
    """Accented Latin letters and their base letter, for PostgreSQL's translate()."""
    src = "áàâäãåāăąçćčďéèêëēėęěíìîïīįñńňóòôöõōőŕřśšşťúùûüūůűųýÿźżž"
    src += src.upper()
    dst = "".join(unicodedata.normalize("NFKD", ch)[0] for ch in src)
    return src + "łŁøØ", dst + "lLoO"


# Accents folded on PostgreSQL with translate() (immutable, so indexable; unaccent is not).
# Trigrams rather than tsvector: a row's recheck is a cheap LIKE, not a to_tsvector() parse,
# which matters when the planner walks the primary key in id order and filters.
_SRC, _DST = _fold_map()
PG_NAME_FOLD = f"translate(lower(NEW.full_name), '{_SRC}', '{_DST}')"
# Stored by a trigger, so that a row's recheck is a LIKE on short text, not a translate().
PG_NAME_KEY = "name_key"
_PG_TRIGGER = [
    "CREATE OR REPLACE FUNCTION cbs_customer_name_key() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN NEW.name_key := {PG_NAME_FOLD}; RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS customers_name_key ON customers",
    "CREATE TRIGGER customers_name_key BEFORE INSERT OR UPDATE OF full_name ON customers "
    "FOR EACH ROW EXECUTE FUNCTION cbs_customer_name_key()",
]


def binary(expr: str, dialect: str) -> str:
    """Byte-order comparison so that a prefix is a range, whatever the database's collation."""
    return f'({expr}) COLLATE "C"' if dialect == "postgresql" else f"({expr})"


def customer_statements(dialect: str) -> list[str]:
    phone = binary(phone_key_sql(), dialect)
    ident = binary(id_key_sql(), dialect)
    stmts = [
        f"CREATE INDEX IF NOT EXISTS ix_customers_phone_key ON customers ({phone}, id)",
        f"CREATE INDEX IF NOT EXISTS ix_customers_id_key ON customers ({ident}, id)",
    ]
    if dialect == "postgresql":
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm", *_PG_TRIGGER, *stmts,
                "CREATE INDEX IF NOT EXISTS ix_customers_name_trgm ON customers "
                "USING gin (name_key gin_trgm_ops)"]
    stmts += [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(full_name, "
        "content='customers', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')",
        f"CREATE TRIGGER IF NOT EXISTS customers_fts_ai AFTER INSERT ON customers BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, full_name) VALUES (new.id, new.full_name); END",
        f"CREATE TRIGGER IF NOT EXISTS customers_fts_ad AFTER DELETE ON customers BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, full_name) "
        "VALUES ('delete', old.id, old.full_name); END",
        f"CREATE TRIGGER IF NOT EXISTS customers_fts_au AFTER UPDATE OF full_name ON customers "
        f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, full_name) "
        "VALUES ('delete', old.id, old.full_name); "
        f"INSERT INTO {FTS_TABLE}(rowid, full_name) VALUES (new.id, new.full_name); END",
    ]
    return stmts


def account_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":  # the unique index follows the database collation: add a binary one
        return ['CREATE INDEX IF NOT EXISTS ix_accounts_number_binary ON accounts '
                '((number COLLATE "C"), id)']
    return []  # SQLite's unique index on number is already binary


def drop_statements(dialect: str) -> list[str]:
    """For the benchmark's baseline and for rebuilding after a bulk load."""
    stmts = ["DROP INDEX IF EXISTS ix_customers_phone_key",
             "DROP INDEX IF EXISTS ix_customers_id_key"]
    if dialect == "postgresql":
        return stmts + ["DROP INDEX IF EXISTS ix_customers_name_trgm",
                        "DROP INDEX IF EXISTS ix_accounts_number_binary"]
    return stmts + [f"DROP TRIGGER IF EXISTS customers_fts_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def install(conn: Connection) -> None:
    """Create what is missing (migrations, or after a bulk load without indexes)."""
    dialect = conn.dialect.name
    sqlite_fts_new = False
    if dialect == "sqlite":
        sqlite_fts_new = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first() is None
    else:  # customers written before the trigger existed
        conn.exec_driver_sql("UPDATE customers SET name_key = "
                             + PG_NAME_FOLD.replace("NEW.", "") + " WHERE name_key IS NULL")
    for stmt in customer_statements(dialect) + account_statements(dialect):
        conn.exec_driver_sql(stmt)
    if sqlite_fts_new:  # index the customers that existed before the table
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def attach(tables: dict[str, Table]) -> None:
    for dialect in ("postgresql", "sqlite"):
        for stmt in customer_statements(dialect):
            event.listen(tables["customers"], "after_create",
                         DDL(stmt.replace("%", "%%")).execute_if(dialect=dialect))
        for stmt in account_statements(dialect):
            event.listen(tables["accounts"], "after_create",
                         DDL(stmt.replace("%", "%%")).execute_if(dialect=dialect))
