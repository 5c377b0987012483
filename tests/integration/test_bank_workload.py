"""The bank workload on both databases: concurrent clients (threads, then OS processes with one
killed by SIGKILL) doing random transfers and fees with idempotent retries.

Afterwards the money is all there: totals unchanged, no balance below its limit, each request key
applied at most once and answered consistently, every account's postings sum to its balance,
every entry balanced and audited, every audit chain intact.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from core.clock import Clock
from core.db import make_engine
from core.unit_of_work import CoreContext
from tests import ledger_invariants as inv
from tests.integration import workload

pytestmark = pytest.mark.slow  # about a minute per database; CI runs it, `-m "not slow"` skips

CLIENTS = 8
OPS_PER_CLIENT = 150
VICTIM = 3  # the client process killed mid-run
ALLOWED_REFUSALS = {"insufficient_funds"}


@pytest.fixture
def plan(db_url: str) -> workload.Plan:
    ctx = CoreContext(engine=make_engine(db_url), clock=Clock(), workstation="setup-ws")
    ids, fee = workload.build_bank(ctx, seed=42)
    ctx.engine.dispose()
    return workload.Plan(db_url, ids, fee, seed=42, ops_per_client=OPS_PER_CLIENT)


def _totals(url: str, plan: workload.Plan) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = inv.stored_balances(conn)
        signs = dict(conn.execute(text("SELECT id, normal_sign FROM accounts")).all())
    engine.dispose()
    return {"customers": sum(stored[a][0] for a in plan.accounts),
            "fees": stored[plan.fee_account][0],
            "signed": sum(bal * signs[a] for a, (bal, _held) in stored.items())}


def _verify(plan: workload.Plan, records: list[dict[str, Any]], before: dict[str, int],
            victim_prefix: str | None = None) -> dict[str, int]:
    """Every invariant after the run; returns counts for the report."""
    after = _totals(plan.url, plan)
    assert after["customers"] + after["fees"] == before["customers"] + before["fees"]
    assert after["signed"] == 0 == before["signed"]  # debits = credits over the whole bank
    engine = make_engine(plan.url)
    with engine.connect() as conn:
        assert inv.check_all(conn) == {}
        stored: dict[str, tuple[int, list[tuple[int, int]]]] = {}
        for key, eid, acc, amount in conn.execute(text(
            "SELECT e.idempotency_key, e.id, p.account_id, p.amount_minor FROM journal_entries e "
            "JOIN postings p ON p.entry_id = e.id WHERE e.idempotency_key NOT LIKE 'fund-%' "
            "ORDER BY e.id, p.line_no")):
            stored.setdefault(key, (eid, []))[1].append((acc, amount))
    engine.dispose()
    seen: dict[str, set[int]] = defaultdict(set)
    fresh: dict[str, int] = defaultdict(int)
    for r in records:
        if r["purpose"] == "hold":  # money reserved, none moved: only the floor is checked
            assert r.get("error") in (None, "insufficient_funds"), r
            continue
        if r["purpose"] == "conflict":
            assert r.get("error") == "idempotency_conflict", r
            continue
        if "error" in r:
            assert r["error"] in ALLOWED_REFUSALS, r
            continue
        eid, postings = stored[r["idempotency_key"]]
        assert r["entry_id"] == eid, r  # every answer for a key names the one entry
        assert postings == [(r["from_account_id"], r["amount_minor"]),
                            (r["to_account_id"], -r["amount_minor"])], r
        seen[r["idempotency_key"]].add(eid)
        fresh[r["idempotency_key"]] += not r["replayed"]
    assert all(n == 1 for n in fresh.values() if n), "a key was applied twice"
    unheard = set(stored) - set(seen)  # applied, but no surviving log says so
    assert all(victim_prefix and k.startswith(victim_prefix) or k.startswith("shared-")
               for k in unheard), sorted(unheard)[:5]
    counts = {"requests": len(records), "applied": len(stored),
              "replayed": sum(1 for r in records if r.get("replayed")),
              "refused": sum(1 for r in records if "error" in r)}
    print(f"workload on {plan.url.split(':')[0]}: {counts}")  # shown with -s or on failure
    return counts


def test_workload_8_threads(plan: workload.Plan, tmp_path: Path):
    before = _totals(plan.url, plan)
    ctx = CoreContext(engine=make_engine(plan.url, pool_size=CLIENTS), clock=Clock(),
                      workstation="ws-threads")  # one desktop, eight task-runner threads
    logs = [tmp_path / f"client{n}.jsonl" for n in range(CLIENTS)]
    failures: list[BaseException] = []

    def client(n: int) -> None:
        try:
            workload.run_client(plan, n, "ws-threads", str(logs[n]), ctx=ctx)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    ctx.engine.dispose()
    assert not failures, failures
    counts = _verify(plan, workload.read_logs(logs), before)
    assert counts["requests"] >= CLIENTS * OPS_PER_CLIENT
    assert counts["replayed"] > 0 and counts["applied"] > CLIENTS * OPS_PER_CLIENT // 3


def test_workload_8_processes_one_killed(plan: workload.Plan, tmp_path: Path):
    before = _totals(plan.url, plan)
    spawn = multiprocessing.get_context("spawn")
    logs = [tmp_path / f"proc{n}.jsonl" for n in range(CLIENTS)]
    procs = [spawn.Process(target=workload.process_main,
                           args=(plan, n, f"ws-proc-{n}", str(logs[n])), daemon=True)
             for n in range(CLIENTS)]
    for p in procs:
        p.start()
    deadline = time.monotonic() + 120
    while _lines(logs[VICTIM]) < OPS_PER_CLIENT // 4 and time.monotonic() < deadline:
        assert procs[VICTIM].is_alive(), "the victim finished before it could be killed"
        time.sleep(0.005)
    os.kill(procs[VICTIM].pid, signal.SIGKILL)
    for p in procs:
        p.join(180)
    assert procs[VICTIM].exitcode == -signal.SIGKILL
    assert [p.exitcode for n, p in enumerate(procs) if n != VICTIM] == [0] * (CLIENTS - 1)
    # The killed client restarts and sends its last request again: applied at most once.
    last = [r for r in workload.read_logs([logs[VICTIM]], intents=True)
            if "idempotency_key" in r][-1]  # its last request that moves money
    key = last["idempotency_key"]
    engine = make_engine(plan.url)
    with engine.connect() as conn:
        had = conn.execute(text("SELECT id FROM journal_entries WHERE idempotency_key = :k"),
                           {"k": key}).scalar_one_or_none()
    engine.dispose()
    again = workload.resend(plan.url, f"ws-proc-{VICTIM}", last)
    if had is not None and last["purpose"] != "conflict":  # conflicts: checked in _verify
        assert again.get("replayed") and again["entry_id"] == had, again
    records = workload.read_logs(logs) + [again]
    counts = _verify(plan, records, before, victim_prefix=f"c{plan.seed}-{VICTIM}-")
    assert counts["applied"] > CLIENTS * OPS_PER_CLIENT // 3


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_two_processes_same_account_no_lost_update(plan: workload.Plan, tmp_path: Path):
    """Both processes credit and debit one account at once; its balance adds up exactly."""
    from core.rules.ledger import Line
    from core.services import ledger
    from core.services.authz import SYSTEM

    target, src1, src2 = plan.accounts[1], plan.accounts[2], plan.accounts[5]
    ctx = CoreContext(engine=make_engine(plan.url), clock=Clock(), workstation="setup-ws")
    with ctx.engine.connect() as conn:
        vault = conn.execute(text("SELECT id FROM accounts WHERE kind = 'gl' AND gl_code = '1000'"
                                  )).scalar_one()
    for src in (src1, src2):  # enough that the sources never run dry: every transfer counts
        ctx.run(ledger.post_entry, SYSTEM, idempotency_key=f"topup-{src:08d}", kind="deposit",
                lines=[Line(vault, 1_000_000, "USD"), Line(src, -1_000_000, "USD")])
    with ctx.engine.connect() as conn:
        start = inv.stored_balances(conn)[target][0]
    ctx.engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    go = spawn.Event()
    logs = [tmp_path / "hammer0.jsonl", tmp_path / "hammer1.jsonl"]
    procs = [spawn.Process(target=workload.hammer_main, args=(
        plan.url, f"ws-hammer-{n}", [(src, target), (target, src), (src, target)], 120, n,
        str(logs[n]), go), daemon=True) for n, src in enumerate((src1, src2))]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    records = workload.read_logs(logs)
    applied = [r for r in records if "entry_id" in r]
    assert len(records) == 240 and len(applied) > 200
    assert {r.get("error") for r in records} <= {None, "insufficient_funds"}
    delta = sum(r["amount_minor"] if r["to_account_id"] == target else -r["amount_minor"]
                for r in applied)
    engine = make_engine(plan.url)
    with engine.connect() as conn:
        assert inv.stored_balances(conn)[target][0] == start + delta
        assert inv.check_all(conn) == {}
    engine.dispose()


def _clerk(ctx: CoreContext, key: str, entry_id: int, start: threading.Barrier,
           outcomes: list[tuple[str, Any]]) -> None:
    from core import errors
    from core.services import ledger
    from core.services.authz import SYSTEM

    start.wait()
    try:
        dto = ctx.run(ledger.reverse_entry, SYSTEM, idempotency_key=key, entry_id=entry_id,
                      reason="duplicate")
        outcomes.append((key, dto.entry_id))
    except errors.DomainError as exc:
        outcomes.append((key, exc.code))
    except Exception as exc:  # noqa: BLE001 - a raw database error is the failure
        outcomes.append((key, repr(exc)))


def test_concurrent_reversals_of_one_entry(plan: workload.Plan):
    """Six clerks reverse the same entry at once (three request keys, each sent twice): one
    reversal is posted, its key's twin gets the same answer, the others AlreadyReversed."""
    from core.services import ledger
    from core.services.authz import SYSTEM

    ctx = CoreContext(engine=make_engine(plan.url, pool_size=6), clock=Clock(),
                      workstation="ws-clerks")
    a, b = plan.accounts[0], plan.accounts[1]
    for round_no in range(8):
        entry = ctx.run(ledger.transfer, SYSTEM, idempotency_key=f"orig-{round_no:06d}",
                        from_account_id=a, to_account_id=b, amount_minor=1, currency="USD")
        start = threading.Barrier(6)
        outcomes: list[tuple[str, Any]] = []
        keys = [f"rev-{round_no}-{k}-xx" for k in range(3)] * 2
        threads = [threading.Thread(target=_clerk, args=(ctx, k, entry.entry_id, start, outcomes))
                   for k in keys]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        posted = {(k, v) for k, v in outcomes if isinstance(v, int)}
        assert len(outcomes) == 6 and len(posted) == 1, outcomes
        winner = posted.pop()[0]
        assert sorted(v for k, v in outcomes if k != winner) == ["already_reversed"] * 4, outcomes
    ctx.engine.dispose()
    engine = make_engine(plan.url)
    with engine.connect() as conn:
        assert inv.check_all(conn) == {}
    engine.dispose()
