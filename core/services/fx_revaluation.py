"""FX position per currency and end-of-day revaluation at the closing mid rate.

The position in a currency is the balance of the FX position GL 3900 in that currency (credit
= long). Its cost is the base value, at each deal's mid, of what the deals put into it. The
unrealised result is value at the closing mid - cost - what earlier revaluations posted; a run
posts that difference (Dr 3910 / Cr 4300 for a gain, the reverse for a loss) in base currency.
A business date is revalued once: the run row and the entry keys (date, branch, currency)
make a second run post nothing.
Permissions: fx.view (position), fx.revalue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import errors, limits
from core.dto_fx import FxPositionDTO, FxRevaluationDTO, FxRevaluationLineDTO
from core.models.fx import FxDeal, FxRevaluationLine, FxRevaluationRun
from core.models.ledger import Account, BalanceShard
from core.rules import fx as rules
from core.rules.ledger import Line
from core.services import audit, authz, calendar, ledger, setup
from core.services import fx as rates
from core.unit_of_work import Retryable, UnitOfWork

Key = tuple[int, str]  # (branch_id, currency)


def _positions(uow: UnitOfWork, branch_id: int | None) -> dict[Key, int]:
    shards = (select(BalanceShard.account_id,
                     func.sum(BalanceShard.balance_minor).label("s"))
              .group_by(BalanceShard.account_id).subquery())
    q = (select(Account.branch_id, Account.currency,
                Account.balance_minor + func.coalesce(shards.c.s, 0))
         .outerjoin(shards, shards.c.account_id == Account.id)
         .where(Account.kind == "gl", Account.gl_code == "3900")
         .limit(limits.FX_MAX_REVALUATION_LINES + 1))
    if branch_id is not None:
        q = q.where(Account.branch_id == branch_id)
    found = {(b, c): int(v) for b, c, v in uow.session.execute(q)}
    if len(found) > limits.FX_MAX_REVALUATION_LINES:  # refuse rather than revalue a part
        raise errors.InvalidInput(field="positions",
                                  reason=f"more than {limits.FX_MAX_REVALUATION_LINES}")
    return found


def _costs(uow: UnitOfWork, branch_id: int | None) -> dict[Key, int]:
    out: dict[Key, int] = defaultdict(int)
    for col, value, sign in ((FxDeal.from_currency, FxDeal.from_base_value_minor, 1),
                             (FxDeal.to_currency, FxDeal.to_base_value_minor, -1)):
        q = select(FxDeal.branch_id, col, func.sum(value)).group_by(FxDeal.branch_id, col)
        if branch_id is not None:
            q = q.where(FxDeal.branch_id == branch_id)
        for b, c, total in uow.session.execute(q):
            out[(b, c)] += sign * int(total)
    return out


def _revalued(uow: UnitOfWork, branch_id: int | None) -> dict[Key, int]:
    q = (select(FxRevaluationLine.branch_id, FxRevaluationLine.currency,
                func.sum(FxRevaluationLine.amount_base_minor))
         .group_by(FxRevaluationLine.branch_id, FxRevaluationLine.currency))
    if branch_id is not None:
        q = q.where(FxRevaluationLine.branch_id == branch_id)
    return {(b, c): int(v) for b, c, v in uow.session.execute(q)}


def position(uow: UnitOfWork, *, branch_id: int | None = None) -> list[FxPositionDTO]:
    """Per currency: the position, its value at the mid in force, cost and unrealised result."""
    authz.require(uow, "fx.view")
    base = calendar.base_currency(uow)
    pos, cost, done = _positions(uow, branch_id), _costs(uow, branch_id), _revalued(uow, branch_id)
    per_ccy: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for table, i in ((pos, 0), (cost, 1), (done, 2)):
        for (_, currency), amount in table.items():
            per_ccy[currency][i] += amount
    out = []
    for currency, (p, c, r) in sorted(per_ccy.items()):
        mid = _mid_in_force(uow, currency, base)
        value = None if mid is None else rules.base_value_minor(p, currency, mid, base)
        out.append(FxPositionDTO(branch_id, currency, p,
                                 None if mid is None else rules.display_rate(mid, 12),
                                 value, c, r, None if value is None else value - c - r))
    return out


def _mid_in_force(uow: UnitOfWork, currency: str, base: str) -> Fraction | None:
    if currency == base:
        return Fraction(1)
    try:
        return Fraction(Decimal(rates.rate_in_force(uow, currency).mid_rate))
    except errors.FxNoRate:
        return None


def revalue(uow: UnitOfWork, *, business_date: date | None = None) -> FxRevaluationDTO:
    """Revalue every foreign-currency position of every branch at the day's closing mid."""
    authz.require(uow, "fx.revalue")
    today = calendar.business_date(uow)
    day = business_date or today
    if day > today:
        raise errors.BusinessDateError(current=today.isoformat(), requested=day.isoformat())
    base = calendar.base_currency(uow)
    run = uow.session.execute(select(FxRevaluationRun).where(
        FxRevaluationRun.business_date == day)).scalar_one_or_none()
    if run is not None:
        return _run_dto(uow, run, base, replayed=True)
    latest = uow.session.execute(select(func.max(FxRevaluationRun.business_date))).scalar()
    if latest is not None and latest > day:  # results are cumulative: no going back in time
        raise errors.BusinessDateError(current=latest.isoformat(), requested=day.isoformat())
    run = FxRevaluationRun(business_date=day, status="done", run_by=uow.actor.username,
                           run_at=uow.clock.now())
    uow.session.add(run)
    try:
        uow.session.flush()
    except IntegrityError as exc:  # a concurrent run of the same date won: answer from it
        raise Retryable("fx revaluation run raced") from exc
    until = datetime.combine(day + timedelta(days=1), time(0, tzinfo=UTC))  # end of the day
    pos, cost, done = _positions(uow, None), _costs(uow, None), _revalued(uow, None)
    keys = sorted(k for k in set(pos) | set(cost) | set(done) if k[1] != base)
    for branch_id, currency in keys:
        p, c, r = pos.get((branch_id, currency), 0), cost.get((branch_id, currency), 0), \
            done.get((branch_id, currency), 0)
        if p == 0 and c == 0 and r == 0:
            continue
        rate = rates.rate_before(uow, currency, until)
        value = rules.base_value_minor(p, currency, Fraction(Decimal(rate.mid_rate)), base)
        amount = value - c - r
        entry_id = _post(uow, day, branch_id, currency, base, amount) if amount else None
        uow.session.add(FxRevaluationLine(
            run_id=run.id, business_date=day, branch_id=branch_id, currency=currency,
            rate_id=rate.id, mid_rate=rate.mid_rate, position_minor=p, value_base_minor=value,
            cost_base_minor=c, amount_base_minor=amount, entry_id=entry_id))
    uow.session.flush()
    dto = _run_dto(uow, run, base)
    audit.append(uow, action="fx.revalue", entity_type="fx_revaluation", entity_id=run.id,
                 payload={"business_date": day.isoformat(), "lines": [
                     [ln.branch_id, ln.currency, ln.mid_rate and str(ln.mid_rate),
                      ln.amount_base_minor] for ln in dto.lines]})
    return dto


def _post(uow: UnitOfWork, day: date, branch_id: int, currency: str, base: str,
          amount: int) -> int:
    """Gain (amount > 0): Dr 3910, Cr 4300 in base currency; a loss the other way round."""
    gl = setup.ensure_gl_chart(uow, branch_id=branch_id, currency=base)
    entry = ledger.post_entry(
        uow, idempotency_key=f"fxreval-{day:%Y%m%d}-{branch_id}-{currency}",
        kind="fx_revaluation", branch_id=branch_id, permission="fx.revalue",
        memo=f"FX revaluation {currency} {day.isoformat()}",
        lines=[Line(gl["3910"], amount, base), Line(gl["4300"], -amount, base)])
    return entry.entry_id


def _run_dto(uow: UnitOfWork, run: FxRevaluationRun, base: str, *,
             replayed: bool = False) -> FxRevaluationDTO:
    rows = uow.session.execute(select(FxRevaluationLine).where(
        FxRevaluationLine.run_id == run.id).order_by(FxRevaluationLine.id)).scalars()
    lines = tuple(FxRevaluationLineDTO(r.branch_id, r.currency, Decimal(r.mid_rate),
                                       r.position_minor, r.value_base_minor, r.cost_base_minor,
                                       r.amount_base_minor, r.entry_id) for r in rows)
    return FxRevaluationDTO(run.id, run.business_date, base, lines, replayed)
