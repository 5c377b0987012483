"""Batch re-screen of all customers after a list version activates: resumable, with progress.

Each step screens the next RESCREEN_BATCH_CUSTOMERS customers after the run's cursor and
commits the hits together with the new cursor, so a crash loses at most one step and
rescreen_all picks the run up where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from core import errors, limits
from core.models.customers import Customer
from core.models.sanctions import ScreeningRun
from core.sanctions.dto import RunDTO
from core.services import audit, authz
from core.services.sanctions import CUSTOMER_KIND, store_customer_hits
from core.services.sanctions_index import current_index
from core.unit_of_work import Actor, CoreContext, UnitOfWork


def _dto(r: ScreeningRun) -> RunDTO:
    return RunDTO(r.id, r.status, r.processed, r.total_customers, r.hits_found,
                  r.cursor_customer_id)


def start_rescreen(uow: UnitOfWork, *, reason: str) -> RunDTO:
    """The running run if there is one (resume it), else a new run."""
    authz.require(uow, "sanctions.import")  # a bank-wide batch: compliance, not the counter
    running = uow.session.execute(select(ScreeningRun).where(ScreeningRun.status == "running")
                                  .order_by(ScreeningRun.id).limit(1)).scalar_one_or_none()
    if running is not None:
        return _dto(running)
    run = ScreeningRun(status="running", reason=reason[:200], index_key="",
                       started_at=uow.clock.now(), started_by=uow.actor.username)
    uow.session.add(run)
    uow.session.flush()
    audit.append(uow, action="sanctions.rescreen_start", entity_type="screening_run",
                 entity_id=run.id, payload={"reason": reason})
    return _dto(run)


def rescreen_step(uow: UnitOfWork, *, run_id: int,
                  batch: int = limits.RESCREEN_BATCH_CUSTOMERS) -> RunDTO:
    authz.require(uow, "sanctions.import")
    run = uow.session.get(ScreeningRun, run_id, with_for_update=True)
    if run is None:
        raise errors.InvalidInput(field="run", reason=f"no screening run {run_id}")
    if run.status != "running":
        return _dto(run)
    key, index = current_index(uow)
    if not key:
        raise errors.NoActiveLists()
    if run.processed == 0:
        run.index_key = key.split("|", 1)[1][:200]
        run.total_customers = uow.session.execute(select(func.count(Customer.id))).scalar_one()
    batch = max(1, min(batch, limits.RESCREEN_BATCH_CUSTOMERS))
    customers = uow.session.execute(select(Customer).where(Customer.id > run.cursor_customer_id)
                                    .order_by(Customer.id).limit(batch)).scalars().all()
    for c in customers:
        matches = index.search(c.full_name, birth_date=c.born_on, country=c.country,
                               kind=CUSTOMER_KIND.get(c.kind))
        result = store_customer_hits(uow, c, matches, run.id)
        run.hits_found += len(result.new_hits)
    run.processed += len(customers)
    if customers:
        run.cursor_customer_id = customers[-1].id
    if len(customers) < batch:
        run.status, run.finished_at = "done", uow.clock.now()
        audit.append(uow, action="sanctions.rescreen_done", entity_type="screening_run",
                     entity_id=run.id, payload={"processed": run.processed,
                                                "hits": run.hits_found, "lists": run.index_key})
    uow.session.flush()
    return _dto(run)


def rescreen_all(ctx: CoreContext, actor: Actor, *, reason: str = "manual",
                 progress: Callable[[RunDTO], None] | None = None,
                 batch: int = limits.RESCREEN_BATCH_CUSTOMERS) -> RunDTO:
    """Drive a run to the end, one committed step at a time (resumes a running run)."""
    run = ctx.run(start_rescreen, actor, reason=reason)
    for _ in range(10_000_000 // max(1, batch) + 2):  # bounded: more than the customer cap
        run = ctx.run(rescreen_step, actor, run_id=run.run_id, batch=batch)
        if progress:
            progress(run)
        if run.status != "running":
            return run
    raise AssertionError("re-screen did not finish within its bound")
