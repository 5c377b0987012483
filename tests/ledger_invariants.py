"""Read-only checks of the ledger's invariants, shared by the model test and the bank workload.

Each function returns the rows that break its invariant (empty = holds), so a failure shows
exactly what is wrong.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, text

from core.services import audit


def unbalanced_entries(conn: Connection, since_entry_id: int = 0) -> list[Any]:
    """Entries whose postings do not sum to zero in some currency, or with under two lines."""
    since = {"since": since_entry_id}
    rows = conn.execute(text(
        "SELECT entry_id, currency, SUM(amount_minor) AS net FROM postings "
        "WHERE entry_id >= :since GROUP BY entry_id, currency HAVING SUM(amount_minor) <> 0"
    ), since).all()
    rows += conn.execute(text(
        "SELECT e.id, COUNT(p.id) AS n FROM journal_entries e LEFT JOIN postings p "
        "ON p.entry_id = e.id WHERE e.id >= :since GROUP BY e.id HAVING COUNT(p.id) < 2"
    ), since).all()
    return list(rows)


def foreign_currency_postings(conn: Connection) -> list[Any]:
    """Postings in another currency than their account's."""
    return list(conn.execute(text(
        "SELECT p.id, p.entry_id, p.account_id, p.currency, a.currency FROM postings p "
        "JOIN accounts a ON a.id = p.account_id WHERE p.currency <> a.currency"
    )).all())


def stored_balances(conn: Connection) -> dict[int, tuple[int, int]]:
    """account id -> (natural balance incl. hot shards, held)."""
    rows = conn.execute(text(
        "SELECT a.id, a.balance_minor + COALESCE((SELECT SUM(s.balance_minor) "
        "FROM balance_shards s WHERE s.account_id = a.id), 0) AS bal, a.held_minor "
        "FROM accounts a"
    )).all()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def balances_not_matching_postings(conn: Connection) -> list[tuple[int, int, int]]:
    """(account, stored balance, sum of postings x normal_sign) wherever the two differ."""
    posted = dict(conn.execute(text(
        "SELECT a.id, COALESCE(SUM(p.amount_minor), 0) * a.normal_sign FROM accounts a "
        "LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id, a.normal_sign"
    )).all())
    stored = stored_balances(conn)
    return [(acc, bal, int(posted.get(acc, 0))) for acc, (bal, _held) in sorted(stored.items())
            if bal != int(posted.get(acc, 0))]


def below_floor(conn: Connection) -> list[Any]:
    """Floor-enforced accounts whose balance less holds is below minus the overdraft limit."""
    return list(conn.execute(text(
        "SELECT id, balance_minor, held_minor, overdraft_limit_minor FROM accounts "
        "WHERE enforce_floor AND balance_minor - held_minor < -overdraft_limit_minor"
    )).all())


def inexact_reversals(conn: Connection, since_entry_id: int = 0) -> list[int]:
    """Reversal entries that are not the exact mirror (same lines, signs flipped) of their original."""
    pairs = conn.execute(text(
        "SELECT id, reverses_entry_id FROM journal_entries WHERE reverses_entry_id IS NOT NULL "
        "AND id >= :since"), {"since": since_entry_id}).all()
    lines: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    wanted = {i for pair in pairs for i in pair}
    if wanted:
        for r in conn.execute(text(
            "SELECT entry_id, account_id, currency, amount_minor FROM postings "
            "WHERE entry_id >= :low ORDER BY entry_id, line_no"), {"low": min(wanted)}):
            if r[0] in wanted:
                lines[r[0]].append((r[1], r[2], r[3]))
    return [rev for rev, orig in pairs
            if lines[rev] != [(a, c, -m) for a, c, m in lines[orig]]]


def repeated_keys(conn: Connection) -> list[Any]:
    return list(conn.execute(text(
        "SELECT idempotency_key, COUNT(*) FROM journal_entries GROUP BY idempotency_key "
        "HAVING COUNT(*) > 1"
    )).all())


def entries_without_audit(conn: Connection) -> list[Any]:
    return list(conn.execute(text(
        "SELECT e.id, e.reference FROM journal_entries e WHERE NOT EXISTS (SELECT 1 "
        "FROM audit_events ae WHERE ae.entity_type = 'journal_entry' "
        "AND ae.entity_id = e.reference AND ae.action = 'ledger.' || e.kind)"
    )).all())


def broken_audit_chains(conn: Connection) -> list[str]:
    """Recompute every chain from its genesis: gaps, edits and a head out of step are reported."""
    problems = []
    heads = conn.execute(text("SELECT chain_id, last_seq, last_hash FROM audit_chains")).all()
    for chain_id, last_seq, last_hash in heads:
        prev, seq = audit.genesis_hash(chain_id), 0
        rows = conn.execute(text(
            "SELECT seq, occurred_at, actor, workstation, action, entity_type, entity_id, "
            "outcome, correlation_id, payload, hash FROM audit_events WHERE chain_id = :c "
            "ORDER BY seq"), {"c": chain_id}).all()
        for r in rows:
            seq += 1
            if r.seq != seq:
                problems.append(f"{chain_id}: seq {r.seq} where {seq} expected")
                break
            digest = audit.event_digest(
                chain_id=chain_id, occurred_at=_utc(r.occurred_at), actor=r.actor,
                workstation=r.workstation, action=r.action, entity_type=r.entity_type,
                entity_id=r.entity_id, outcome=r.outcome, correlation_id=r.correlation_id,
                payload=r.payload)
            prev = audit.chain_hash(prev, digest)
            if bytes(r.hash) != prev:
                problems.append(f"{chain_id}: hash of seq {seq} does not chain")
                break
        if not problems and (seq != last_seq or bytes(last_hash) != prev):
            problems.append(f"{chain_id}: head at {last_seq}, events end at {seq}")
    return problems


def _utc(value: Any) -> Any:
    from datetime import UTC, datetime

    if isinstance(value, str):  # SQLite through text(): stored naive UTC
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def check_all(conn: Connection) -> dict[str, list[Any]]:
    """Every invariant at once; the result is {} when the ledger is sound."""
    found = {
        "unbalanced": unbalanced_entries(conn),
        "foreign_currency": foreign_currency_postings(conn),
        "balance_vs_postings": balances_not_matching_postings(conn),
        "below_floor": below_floor(conn),
        "inexact_reversals": inexact_reversals(conn),
        "repeated_keys": repeated_keys(conn),
        "no_audit": entries_without_audit(conn),
        "audit_chain": broken_audit_chains(conn),
    }
    return {k: v for k, v in found.items() if v}
