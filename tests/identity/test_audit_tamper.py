"""Tampering with the audit trail directly in SQL, as an attacker with DBA rights would:
`cbs audit verify` exits non-zero naming the first bad event, and 0 on an untouched chain."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.cli import main
from core.services import audit, customers
from core.services.authz import SYSTEM


@pytest.fixture
def trail(idbank):
    """A chain of some length on workstation test-ws."""
    for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"):
        idbank.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                       branch_id=idbank.hq)
    return idbank


def _verify(db_url: str, capsys) -> tuple[int, str]:
    code = main(["audit", "verify", "--url", db_url])
    return code, capsys.readouterr().out


def _tamper(ctx, *statements: str, **params: object) -> None:
    """Run statements with the append-only guard out of the way."""
    with ctx.engine.begin() as conn:
        if ctx.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER ALL"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        for stmt in statements:
            conn.execute(text(stmt), params)
        if ctx.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER ALL"))


def _event_id(ctx, seq: int) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text("SELECT id FROM audit_events WHERE chain_id = 'test-ws' "
                                 "AND seq = :s"), {"s": seq}).scalar_one()


def _head(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text("SELECT last_seq FROM audit_chains WHERE chain_id = 'test-ws'")
                            ).scalar_one()


def _named(out: str) -> tuple[str, str, str]:
    m = re.search(r"TAMPERED: chain (\S+) seq (\S+) event id (\S+): ", out)
    assert m, out
    return m.group(1), m.group(2), m.group(3)


def test_untouched_chain_verifies(trail, db_url, capsys):
    code, out = _verify(db_url, capsys)
    assert code == 0, out
    assert "audit trail intact" in out and f"{_head(trail.ctx)} events" in out


def test_the_guard_refuses_an_update_without_tampering_rights(trail):
    with pytest.raises(Exception, match="append-only"):
        with trail.ctx.engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"))


def test_edited_event_is_named(trail, db_url, capsys):
    seq = 4
    victim = _event_id(trail.ctx, seq)
    _tamper(trail.ctx, "UPDATE audit_events SET payload = '{\"after\":\"nothing to see\"}' "
                       "WHERE id = :id", id=victim)
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert _named(out) == ("test-ws", str(seq), str(victim))
    assert "hash mismatch" in out


def test_edited_actor_is_named(trail, db_url, capsys):
    victim = _event_id(trail.ctx, 2)
    _tamper(trail.ctx, "UPDATE audit_events SET actor = 'someone.else' WHERE id = :id",
            id=victim)
    code, out = _verify(db_url, capsys)
    assert code == 1 and _named(out) == ("test-ws", "2", str(victim))


def test_deleted_event_is_named(trail, db_url, capsys):
    after = _event_id(trail.ctx, 4)
    _tamper(trail.ctx, "DELETE FROM audit_events WHERE chain_id = 'test-ws' AND seq = 3")
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert _named(out) == ("test-ws", "4", str(after))
    assert "expected seq 3" in out


def test_deleted_newest_event_is_caught_by_the_head(trail, db_url, capsys):
    last = _head(trail.ctx)
    _tamper(trail.ctx, "DELETE FROM audit_events WHERE chain_id = 'test-ws' AND seq = :s",
            s=last)
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert _named(out) == ("test-ws", str(last), "-")
    assert "deleted" in out


def test_inserted_event_is_named(trail, db_url, capsys):
    """A forged event appended with a correctly computed hash: the head gives it away."""
    last = _head(trail.ctx)
    with trail.ctx.engine.connect() as conn:
        prev = bytes(conn.execute(text("SELECT hash FROM audit_events WHERE chain_id='test-ws' "
                                       "AND seq = :s"), {"s": last}).scalar_one())
    occurred = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    row = dict(chain_id="test-ws", occurred_at=occurred, actor="mallory", workstation="test-ws",
               action="ledger.deposit", entity_type="journal_entry", entity_id="J-FORGED",
               outcome="ok", correlation_id="00000000-0000-0000-0000-000000000000",
               payload="{}")
    forged = audit.chain_hash(prev, audit.event_digest(**row))
    stamp = occurred if trail.ctx.dialect == "postgresql" else \
        occurred.replace(tzinfo=None).isoformat(sep=" ")
    _tamper(trail.ctx, "INSERT INTO audit_events (chain_id, seq, occurred_at, actor, workstation, "
                       "action, entity_type, entity_id, outcome, correlation_id, payload, hash) "
                       "VALUES (:chain_id, :seq, :occurred_at, :actor, :workstation, :action, "
                       ":entity_type, :entity_id, :outcome, :correlation_id, :payload, :hash)",
            **{**row, "occurred_at": stamp, "seq": last + 1, "hash": forged})
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert _named(out) == ("test-ws", str(last + 1), "-")
    assert "inserted" in out


def test_inserted_event_in_the_middle_is_named(trail, db_url, capsys):
    """Make room by shifting the later events up, then slip a copy in: caught where it sits."""
    last = _head(trail.ctx)
    shift = [f"UPDATE audit_events SET seq = seq + 1 WHERE chain_id = 'test-ws' AND seq = {s}"
             for s in range(last, 2, -1)]
    copy = ("INSERT INTO audit_events (chain_id, seq, occurred_at, actor, workstation, action, "
            "entity_type, entity_id, outcome, correlation_id, payload, hash) "
            "SELECT chain_id, 3, occurred_at, actor, workstation, action, entity_type, "
            "entity_id, outcome, correlation_id, payload, hash FROM audit_events "
            "WHERE chain_id = 'test-ws' AND seq = 2")
    _tamper(trail.ctx, *shift, copy)
    code, out = _verify(db_url, capsys)
    assert code == 1
    chain, seq, event = _named(out)
    assert (chain, seq) == ("test-ws", "3") and event == str(max_id(trail.ctx))


def max_id(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text("SELECT max(id) FROM audit_events")).scalar_one()


def test_reordered_events_are_named(trail, db_url, capsys):
    second, third = _event_id(trail.ctx, 2), _event_id(trail.ctx, 3)
    _tamper(trail.ctx,
            "UPDATE audit_events SET seq = -1 WHERE id = :a",
            "UPDATE audit_events SET seq = 2 WHERE id = :b",
            "UPDATE audit_events SET seq = 3 WHERE id = :a", a=second, b=third)
    code, out = _verify(db_url, capsys)
    assert code == 1
    assert _named(out) == ("test-ws", "2", str(third))
