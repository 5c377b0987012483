"""The business date: separate from the wall clock, moved forward only by end of day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from core import errors
from core.models.ledger import BusinessDay
from core.models.org import BankCalendar
from core.services import audit, authz
from core.unit_of_work import UnitOfWork


def business_date(uow: UnitOfWork) -> date:
    cal = uow.session.get(BankCalendar, 1)
    if cal is None:
        raise errors.InvalidInput(field="bank", reason="the bank is not set up (run cbs demo)")
    return cal.business_date


def base_currency(uow: UnitOfWork) -> str:
    cal = uow.session.get(BankCalendar, 1)
    if cal is None:
        raise errors.InvalidInput(field="bank", reason="the bank is not set up (run cbs demo)")
    return cal.base_currency


def advance_business_date(uow: UnitOfWork, *, to: date | None = None) -> date:
    """Close the current business day and open the next (or the given later) one."""
    authz.require(uow, "eod.run")
    cal = uow.session.get(BankCalendar, 1, with_for_update=True)
    if cal is None:
        raise errors.InvalidInput(field="bank", reason="the bank is not set up")
    current = cal.business_date
    target = to or current + timedelta(days=1)
    if target <= current:
        raise errors.BusinessDateError(current=current.isoformat(), requested=target.isoformat())
    now = uow.clock.now()
    uow.session.execute(update(BusinessDay).where(BusinessDay.business_date == current)
                        .values(closed_at=now, closed_by=uow.actor.username))
    last_seq = uow.session.execute(
        select(BusinessDay.sequence_no).order_by(BusinessDay.sequence_no.desc()).limit(1)
    ).scalar_one()
    uow.session.add(BusinessDay(business_date=target, opened_at=now, sequence_no=last_seq + 1))
    cal.business_date = target
    cal.updated_at = now
    uow.session.flush()
    audit.append(uow, action="calendar.advance", entity_type="bank", entity_id=1,
                 payload={"before": current.isoformat(), "after": target.isoformat()})
    return target
