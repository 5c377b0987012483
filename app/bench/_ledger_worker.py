"""One benchmark worker: an OS process with its own engine and workstation (audit chain).

It runs the phases in order; before each one it does a warm-up transfer (not timed), waits on
the barrier so all workers start together, then times every transfer of the phase.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (from_account_id, to_account_id, amount_minor)
Op = tuple[int, int, int]
BARRIER_TIMEOUT_S = 600


@dataclass(frozen=True)
class WorkerSpec:
    index: int
    url: str
    workstation: str
    key_prefix: str
    branch_id: int
    phases: tuple[tuple[str, tuple[Op, ...]], ...]  # (phase name, ops); ops[0] is the warm-up


@dataclass(frozen=True)
class PhaseReport:
    worker: int
    phase: str
    started: float  # time.monotonic(): one clock for all processes of the machine
    finished: float
    latencies_s: bytes  # array('d')
    errors: int
    first_error: str
    rss_peak_kib: int


def _service_runner(spec: WorkerSpec) -> tuple[Callable[[str, int, int, int], Any], Any]:
    from core.clock import Clock
    from core.db import make_engine
    from core.services import ledger
    from core.services.authz import SYSTEM
    from core.unit_of_work import CoreContext

    engine = make_engine(spec.url, pool_size=1)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation=spec.workstation)

    def transfer(key: str, src: int, dst: int, amount: int) -> Any:
        return ctx.run(ledger.transfer, SYSTEM, idempotency_key=key, from_account_id=src,
                       to_account_id=dst, amount_minor=amount, currency="USD",
                       branch_id=spec.branch_id)

    return transfer, engine.dispose


def _runner(spec: WorkerSpec, phase: str) -> tuple[Callable[[str, int, int, int], Any], Any]:
    if phase == "floor":
        from app.bench import _ledger_floor

        return _ledger_floor.connect(spec.url, spec.branch_id)
    return _service_runner(spec)


def run_worker(spec: WorkerSpec, barrier: Any, results: Any) -> None:
    """Process entry point (multiprocessing 'spawn')."""
    from app.bench._stats import own_peak_rss_kib

    for phase, ops in spec.phases:
        transfer, close = _runner(spec, phase)
        prefix = f"{spec.key_prefix}{phase[0]}{spec.index}x"
        errors, first_error = 0, ""
        try:
            transfer(prefix + "w", *ops[0])
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            errors, first_error = 1, f"{type(exc).__name__}: {exc}"
        lat = array("d")
        barrier.wait(BARRIER_TIMEOUT_S)
        started = time.monotonic()
        for n, op in enumerate(ops[1:]):
            t0 = time.perf_counter()
            try:
                transfer(f"{prefix}{n}", *op)
            except Exception as exc:  # noqa: BLE001
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"[:300]
            lat.append(time.perf_counter() - t0)
        finished = time.monotonic()
        close()
        rss = own_peak_rss_kib()
        results.put(PhaseReport(spec.index, phase, started, finished, lat.tobytes(), errors,
                                first_error, rss))
