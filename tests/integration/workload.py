"""The bank workload: clients doing random transfers with idempotent retries.

Importable by spawned processes (no pytest here). A client appends one JSON line per request to
its log and flushes it, so what a killed process had been told survives the kill.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core import errors
from core.clock import Clock
from core.db import make_engine
from core.rules.ledger import Line
from core.services import accounts, customers, ledger, setup
from core.services.authz import SYSTEM
from core.unit_of_work import CoreContext, UnitOfWork

N_ACCOUNTS = 50
SHARED_REQUESTS = 40  # requests every client may send too: the same key from many clients at once


@dataclass(frozen=True)
class Plan:
    """What the clients need to know about the bank."""

    url: str
    accounts: list[int]
    fee_account: int
    seed: int
    ops_per_client: int


def build_bank(ctx: CoreContext, seed: int) -> tuple[list[int], int]:
    """50 funded USD customer accounts (every fourth with an overdraft); returns them and the
    hot fee-income account."""
    ctx.run(setup.init_bank, SYSTEM, bank_name="Workload Bank", base_currency="USD",
            business_date=date(2026, 12, 4))
    branch = ctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office",
                     currencies=("USD",)).branch_id
    gl = ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=branch, currency="USD")
    ids = ctx.run(_open_funded, SYSTEM, branch_id=branch, vault=gl["1000"], seed=seed)
    return ids, gl["4000"]


def _open_funded(uow: UnitOfWork, *, branch_id: int, vault: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    ids = []
    for i in range(N_ACCOUNTS):
        cust = customers.create_customer(uow, kind="person", full_name=f"Client {i}",
                                         branch_id=branch_id, born_on=date(1975, 3, 9))
        acc = accounts.open_account(uow, customer_id=cust.customer_id, currency="USD",
                                    overdraft_limit_minor=2_000 if i % 4 == 0 else 0)
        deposit = rng.randrange(500, 6_000)
        ledger.post_entry(uow, idempotency_key=f"fund-{acc.account_id:08d}", kind="deposit",
                          lines=[Line(vault, deposit, "USD"),
                                 Line(acc.account_id, -deposit, "USD")])
        ids.append(acc.account_id)
    return ids


def shared_request(plan: Plan, n: int) -> dict[str, Any]:
    """The n-th shared request: the same key and parameters whichever client sends it."""
    rng = random.Random(plan.seed * 7919 + n)
    src, dst = rng.sample(plan.accounts, 2)
    return {"idempotency_key": f"shared-{plan.seed}-{n:04d}", "from_account_id": src,
            "to_account_id": dst, "amount_minor": rng.randrange(1, 1_500), "currency": "USD"}


def _send(ctx: CoreContext, kind: str, req: dict[str, Any]) -> dict[str, Any]:
    """One request; the outcome as a log record."""
    record: dict[str, Any] = {"kind": kind, **req}
    try:
        if kind == "hold":
            hold = ctx.run(accounts.place_hold, SYSTEM, account_id=req["account_id"],
                           amount_minor=req["amount_minor"], reason="card authorisation")
            record.update(hold_id=hold.hold_id)
            return record
        if kind == "release":
            ctx.run(accounts.release_hold, SYSTEM, hold_id=req["hold_id"])
            return record
        if kind == "fee":
            dto = ctx.run(ledger.post_entry, SYSTEM, idempotency_key=req["idempotency_key"],
                          kind="fee", lines=[Line(req["from_account_id"], req["amount_minor"],
                                                  "USD"),
                                             Line(req["to_account_id"], -req["amount_minor"],
                                                  "USD")])
        else:
            dto = ctx.run(ledger.transfer, SYSTEM, **req)
        record.update(entry_id=dto.entry_id, replayed=dto.replayed)
    except errors.DomainError as exc:
        record.update(error=exc.code)
    return record


def run_client(plan: Plan, client_no: int, workstation: str, log_path: str,
               ctx: CoreContext | None = None) -> None:
    """Random transfers, fees, retries of the same key and deliberate same-key conflicts."""
    own_engine = ctx is None
    if ctx is None:
        ctx = CoreContext(engine=make_engine(plan.url, pool_size=2), clock=Clock(),
                          workstation=workstation)
    rng = random.Random(plan.seed * 1_000 + client_no)
    with Path(log_path).open("a", encoding="utf-8") as log:
        def send(kind: str, req: dict[str, Any], purpose: str) -> dict[str, Any]:
            # What is about to be sent, so that a killed client's last request can be re-sent.
            log.write(json.dumps({"intent": True, "kind": kind, "purpose": purpose, **req})
                      + "\n")
            log.flush()
            record = _send(ctx, kind, req)
            record["purpose"] = purpose
            log.write(json.dumps(record) + "\n")
            log.flush()
            return record

        holds: list[int] = []
        for i in range(plan.ops_per_client):
            roll = rng.random()
            if roll < 0.05:  # holds compete with transfers for the same available balance
                placed = send("hold", {"account_id": rng.choice(plan.accounts),
                                       "amount_minor": rng.randrange(1, 1_500)}, "hold")
                holds += [placed["hold_id"]] if "hold_id" in placed else []
                if holds and rng.random() < 0.5:
                    send("release", {"hold_id": holds.pop(rng.randrange(len(holds)))}, "hold")
                continue
            if roll < 0.20:
                send("transfer", shared_request(plan, rng.randrange(SHARED_REQUESTS)), "shared")
                continue
            src, dst = rng.sample(plan.accounts, 2)
            kind = "fee" if roll < 0.30 else "transfer"
            req = {"idempotency_key": f"c{plan.seed}-{client_no}-{i:05d}",
                   "from_account_id": src, "amount_minor": rng.randrange(1, 2_500),
                   "to_account_id": plan.fee_account if kind == "fee" else dst,
                   "currency": "USD"}
            first = send(kind, req, "first")
            if rng.random() < 0.3:  # the client did not hear back: same key, same request
                send(kind, req, "retry")
            if rng.random() < 0.08 and "entry_id" in first:  # a buggy client: same key, new amount
                send(kind, {**req, "amount_minor": req["amount_minor"] + 1}, "conflict")
    if own_engine:
        ctx.engine.dispose()


def process_main(plan: Plan, client_no: int, workstation: str, log_path: str) -> None:
    """Entry point of a spawned client process."""
    run_client(plan, client_no, workstation, log_path)


def read_logs(paths: list[Path], *, intents: bool = False) -> list[dict[str, Any]]:
    """Outcome records (or, with intents=True, the requests about to be sent)."""
    records = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.endswith("}"):  # a line cut by SIGKILL is not a record
                record = json.loads(line)
                if bool(record.pop("intent", False)) == intents:
                    records.append(record)
    return records


def resend(url: str, workstation: str, request: dict[str, Any]) -> dict[str, Any]:
    """A restarted client sends its last request again (same key, same parameters)."""
    ctx = CoreContext(engine=make_engine(url), clock=Clock(), workstation=workstation)
    request = dict(request)
    kind, purpose = request.pop("kind"), request.pop("purpose")
    try:
        return {**_send(ctx, kind, request), "purpose": purpose, "resent": True}
    finally:
        ctx.engine.dispose()


def hammer_main(url: str, workstation: str, pairs: list[tuple[int, int]], n: int, seed: int,
                log_path: str, start: Any) -> None:
    """Many small transfers over the given (from, to) pairs, starting when told."""
    ctx = CoreContext(engine=make_engine(url, pool_size=2), clock=Clock(), workstation=workstation)
    rng = random.Random(seed)
    start.wait(60)
    with Path(log_path).open("a", encoding="utf-8") as log:
        for i in range(n):
            src, dst = rng.choice(pairs)
            req = {"idempotency_key": f"{workstation}-{i:05d}", "from_account_id": src,
                   "to_account_id": dst, "amount_minor": rng.randrange(1, 100), "currency": "USD"}
            log.write(json.dumps(_send(ctx, "transfer", req)) + "\n")
            log.flush()
    ctx.engine.dispose()
