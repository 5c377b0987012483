"""PostgreSQL: the application role appends audit events but cannot update, delete or truncate
them; the trigger stops the owner too."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import text

from app.cli import main
from app.db_roles import grant_app_role
from core.clock import Clock
from core.db import make_engine
from core.services import customers
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext

# application roles are a PostgreSQL feature: these tests run on PostgreSQL only
pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def app_role(idbank, db_url):
    role = f"cbs_app_{uuid.uuid4().hex[:8]}"
    yield role
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _as(db_url: str, role: str) -> str:
    return db_url.replace("postgres@", f"{role}@", 1)


def test_app_role_appends_but_cannot_rewrite(idbank, db_url, app_role, capsys):
    assert main(["db", "grant-app-role", app_role, "--url", db_url]) == 0
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events" in capsys.readouterr().out
    engine = make_engine(_as(db_url, app_role))
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="app-ws")
    try:
        ctx.run(customers.create_customer, SYSTEM, kind="person", full_name="Ada Lovelace",
                branch_id=idbank.hq)  # inserts an audit event and moves a chain head
        for stmt in ("UPDATE audit_events SET actor = 'mallory'",
                     "DELETE FROM audit_events",
                     "TRUNCATE audit_events",
                     "DELETE FROM postings"):
            with pytest.raises(Exception, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text(stmt))
    finally:
        engine.dispose()
    # the owner is stopped by the trigger
    with pytest.raises(Exception, match="append-only"):
        with idbank.ctx.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_events"))
    assert main(["audit", "verify", "--url", db_url]) == 0


def test_grant_is_idempotent_and_refuses_odd_names(idbank, db_url, app_role):
    grant_app_role(db_url, app_role)
    grant_app_role(db_url, app_role)
    with pytest.raises(ValueError):
        grant_app_role(db_url, 'x"; DROP TABLE users; --')
