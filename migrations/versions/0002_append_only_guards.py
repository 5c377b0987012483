"""append-only guards on journal entries, postings and audit events

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from core import guards

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    guards.install(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    for table in guards.APPEND_ONLY_TABLES:
        if bind.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
