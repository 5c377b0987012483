"""search-as-you-type indexes: FTS5 (SQLite) / pg_trgm (PostgreSQL), phone and ID keys

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from core import search_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.install(op.get_bind())


def downgrade() -> None:
    for stmt in search_index.drop_statements(op.get_bind().dialect.name):
        op.execute(stmt)
