"""FX rates: entry under maker-checker, CSV and ECB imports, branch margins, board and history.

Exchanges live in fx_exchange.py, position and revaluation in fx_revaluation.py.
Permissions: fx.rates.enter, fx.rates.approve, fx.rates.import, fx.view.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import errors, limits, money
from core.dto_fx import FxImportDTO, FxRateDTO
from core.models.fx import FxBranchSettings, FxRate
from core.models.org import Branch
from core.rules import fx as rules
from core.rules import fx_files
from core.services import audit, authz, calendar
from core.unit_of_work import Retryable, UnitOfWork

APPROVED = ("active", "superseded")  # rates that were ever in force (history, revaluation)


def to_dto(r: FxRate) -> FxRateDTO:
    return FxRateDTO(r.id, r.currency, r.base_currency, Decimal(r.buy_rate), Decimal(r.sell_rate),
                     Decimal(r.mid_rate), r.effective_at, r.source, r.status, r.entered_by,
                     r.entered_at, r.approved_by, r.approved_at)


def _check_when(uow: UnitOfWork, when: datetime | None) -> datetime:
    now = uow.clock.now()
    if when is None:
        return now
    if when.tzinfo is None:
        raise errors.InvalidInput(field="effective_at", reason="a time with its time zone")
    if when > now + timedelta(seconds=limits.FX_RATE_FUTURE_SKEW_S):
        raise errors.InvalidInput(field="effective_at", reason="a time in the future")
    return when


def enter_rate(uow: UnitOfWork, *, currency: str, buy: str | Decimal, sell: str | Decimal,
               mid: str | Decimal | None = None,
               effective_at: datetime | None = None) -> FxRateDTO:
    """The maker: a rate waits as 'pending' until another user approves it."""
    authz.require(uow, "fx.rates.enter")
    base = calendar.base_currency(uow)
    triple = rules.check_rates(str(currency).strip().upper(), base, buy, sell, mid)
    when = _check_when(uow, effective_at)
    rate = _new_rate(uow, triple, base, when, source="manual", status="pending")
    audit.append(uow, action="fx.rates.enter", entity_type="fx_rate", entity_id=rate.id,
                 payload={"after": _payload(rate)})
    return to_dto(rate)


def _new_rate(uow: UnitOfWork, t: rules.RateTriple, base: str, when: datetime, *, source: str,
              status: str, import_ref: str | None = None) -> FxRate:
    now = uow.clock.now()
    rate = FxRate(currency=t.currency, base_currency=base, buy_rate=rules.rate_text(t.buy),
                  sell_rate=rules.rate_text(t.sell), mid_rate=rules.rate_text(t.mid),
                  effective_at=when, source=source, status=status, import_ref=import_ref,
                  entered_by=uow.actor.username, entered_at=now)
    uow.session.add(rate)
    uow.session.flush()
    return rate


def _payload(r: FxRate) -> dict[str, object]:
    return {"currency": r.currency, "buy": r.buy_rate, "sell": r.sell_rate, "mid": r.mid_rate,
            "effective_at": r.effective_at.isoformat(), "source": r.source, "status": r.status}


def approve_rate(uow: UnitOfWork, *, rate_id: int) -> FxRateDTO:
    """The checker: never the maker. The rate comes into force unless a newer one already is."""
    authz.require(uow, "fx.rates.approve")
    rate = uow.session.get(FxRate, rate_id, with_for_update=True)
    if rate is None:
        raise errors.FxUnknownRate(rate=rate_id)
    if rate.status != "pending":
        raise errors.FxRateNotPending(rate=rate_id, status=rate.status)
    if rate.entered_by == uow.actor.username:
        raise errors.FxSelfApproval(user=uow.actor.username, rate=rate_id)
    if rate.base_currency != calendar.base_currency(uow):
        raise errors.InvalidInput(field="rate", reason="entered against another base currency")
    rate.approved_by = uow.actor.username
    rate.approved_at = uow.clock.now()
    _activate(uow, rate)
    audit.append(uow, action="fx.rates.approve", entity_type="fx_rate", entity_id=rate.id,
                 payload={"maker": rate.entered_by, "after": _payload(rate)})
    return to_dto(rate)


def reject_rate(uow: UnitOfWork, *, rate_id: int, reason: str) -> FxRateDTO:
    authz.require(uow, "fx.rates.approve")
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="a rejection needs a reason")
    rate = uow.session.get(FxRate, rate_id, with_for_update=True)
    if rate is None:
        raise errors.FxUnknownRate(rate=rate_id)
    if rate.status != "pending":
        raise errors.FxRateNotPending(rate=rate_id, status=rate.status)
    rate.status = "rejected"
    rate.approved_by = uow.actor.username
    rate.approved_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="fx.rates.reject", entity_type="fx_rate", entity_id=rate.id,
                 payload={"maker": rate.entered_by, "reason": reason[: limits.MAX_MEMO_CHARS]})
    return to_dto(rate)


def _activate(uow: UnitOfWork, rate: FxRate) -> bool:
    """Put `rate` in force if it is at least as recent as the one in force; else keep it as
    history. Returns whether it came into force."""
    current = uow.session.execute(
        select(FxRate).where(FxRate.currency == rate.currency, FxRate.status == "active")
        .with_for_update()
    ).scalar_one_or_none()
    if current is not None and rate.effective_at < current.effective_at:
        rate.status = "superseded"
        uow.session.flush()
        return False
    if current is not None:
        current.status = "superseded"
        uow.session.flush()  # before the new one: one active rate per currency (unique index)
    rate.status = "active"
    try:
        uow.session.flush()
    except IntegrityError as exc:  # another approval of this currency won the race: run again
        raise Retryable("fx rate activation raced") from exc
    return True


def import_rates_csv(uow: UnitOfWork, *, text: str) -> FxImportDTO:
    """`currency,buy,sell[,mid][,effective_at]`; a bad line refuses the whole file."""
    authz.require(uow, "fx.rates.import")
    parsed = fx_files.parse_csv(text, calendar.base_currency(uow))
    return _store_import(uow, parsed, "csv", hashlib.sha256(text.encode()).hexdigest())


def import_ecb_xml(uow: UnitOfWork, *, data: bytes,
                   spread_bp: int = limits.FX_DEFAULT_IMPORT_SPREAD_BP) -> FxImportDTO:
    """The ECB euro reference rates (daily or history file), derived through EUR if needed."""
    authz.require(uow, "fx.rates.import")
    parsed = fx_files.parse_ecb(data, calendar.base_currency(uow), spread_bp)
    return _store_import(uow, parsed, "ecb", hashlib.sha256(data).hexdigest())


def _store_import(uow: UnitOfWork, parsed: list[fx_files.ParsedRate], source: str,
                  digest: str) -> FxImportDTO:
    """Store every rate as history, then bring each currency's newest into force.

    An import is authorised by fx.rates.import itself (the figures come from a file, not typed),
    so it needs no second approver; the audit event names the file by its SHA-256.
    """
    base = calendar.base_currency(uow)
    now = uow.clock.now()
    ref = "FXI" + secrets.token_hex(8).upper()
    for p in parsed:  # judge every line before writing any
        if p.effective_at is not None and \
                p.effective_at > now + timedelta(seconds=limits.FX_RATE_FUTURE_SKEW_S):
            raise errors.FxRateFileInvalid(line=p.line, reason="effective time in the future")
    newest: dict[str, FxRate] = {}
    stored = 0
    for p in sorted(parsed, key=lambda p: (p.effective_at or now, p.line)):
        when = p.effective_at or now
        if _already_stored(uow, p.rates, when):
            continue  # the same file imported twice adds nothing
        rate = _new_rate(uow, p.rates, base, when, source=source, status="superseded",
                         import_ref=ref)
        rate.approved_by, rate.approved_at = uow.actor.username, now
        stored += 1
        newest[rate.currency] = rate
    activated = sum(1 for r in newest.values() if _activate(uow, r))
    currencies = tuple(sorted(newest))
    audit.append(uow, action="fx.rates.import", entity_type="fx_import", entity_id=ref,
                 payload={"source": source, "sha256": digest, "stored": stored,
                          "activated": activated, "currencies": list(currencies)})
    return FxImportDTO(ref, source, stored, activated, currencies)


def _already_stored(uow: UnitOfWork, t: rules.RateTriple, when: datetime) -> bool:
    found = uow.session.execute(
        select(FxRate.id).where(FxRate.currency == t.currency, FxRate.effective_at == when,
                                FxRate.buy_rate == rules.rate_text(t.buy),
                                FxRate.sell_rate == rules.rate_text(t.sell),
                                FxRate.mid_rate == rules.rate_text(t.mid),
                                FxRate.status.in_(APPROVED)).limit(1)
    ).first()
    return found is not None


def set_branch_fx(uow: UnitOfWork, *, branch_id: int, margin_bp: int | None = None,
                  max_rate_age_s: int | None = None) -> tuple[int, int]:
    """A branch's margin on both sides of the bank's rates and its stale-rate age (a
    rate-setting act: fx.rates.approve). Returns (margin_bp, max_rate_age_s) now in force."""
    authz.require(uow, "fx.rates.approve")
    for name, value, low, high in (
            ("margin_bp", margin_bp, 0, limits.FX_MAX_MARGIN_BP),
            ("max_rate_age_s", max_rate_age_s, limits.FX_MIN_RATE_AGE_S,
             limits.FX_MAX_RATE_AGE_S)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not low <= value <= high):
            raise errors.InvalidInput(field=name, reason=f"a whole number from {low} to {high}")
    if uow.session.get(Branch, branch_id) is None:
        raise errors.UnknownBranch(branch=branch_id)
    row = uow.session.get(FxBranchSettings, branch_id, with_for_update=True)
    if row is None:
        row = FxBranchSettings(branch_id=branch_id, margin_bp=0, max_rate_age_s=None,
                               updated_by=uow.actor.username, updated_at=uow.clock.now())
        uow.session.add(row)
    before = {"margin_bp": row.margin_bp, "max_rate_age_s": row.max_rate_age_s}
    if margin_bp is not None:
        row.margin_bp = margin_bp
    if max_rate_age_s is not None:
        row.max_rate_age_s = max_rate_age_s
    row.updated_by, row.updated_at = uow.actor.username, uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="fx.branch.set", entity_type="branch", entity_id=branch_id,
                 payload={"before": before, "after": {"margin_bp": row.margin_bp,
                                                      "max_rate_age_s": row.max_rate_age_s}})
    return row.margin_bp, _age(row)


def _age(row: FxBranchSettings | None) -> int:
    if row is None or row.max_rate_age_s is None:
        return limits.FX_RATE_MAX_AGE_S
    return row.max_rate_age_s


def branch_fx(uow: UnitOfWork, branch_id: int | None) -> tuple[int, int]:
    """(margin_bp, max_rate_age_s) of a branch; the bank defaults without a branch."""
    row = None if branch_id is None else uow.session.get(FxBranchSettings, branch_id)
    return (row.margin_bp if row else 0), _age(row)


def rate_in_force(uow: UnitOfWork, currency: str) -> FxRate:
    money.check_currency(currency)
    rate = uow.session.execute(
        select(FxRate).where(FxRate.currency == currency, FxRate.status == "active")
    ).scalar_one_or_none()
    if rate is None or rate.base_currency != calendar.base_currency(uow):
        raise errors.FxNoRate(currency=currency)
    return rate


def rate_before(uow: UnitOfWork, currency: str, until: datetime) -> FxRate:
    """The newest approved rate effective before `until` (closing rate of a business day)."""
    rate = uow.session.execute(
        select(FxRate).where(FxRate.currency == currency, FxRate.status.in_(APPROVED),
                             FxRate.base_currency == calendar.base_currency(uow),
                             FxRate.effective_at < until)
        .order_by(FxRate.effective_at.desc(), FxRate.id.desc()).limit(1)
    ).scalar_one_or_none()
    if rate is None:
        raise errors.FxNoRate(currency=currency)
    return rate


def current_rates(uow: UnitOfWork) -> list[FxRateDTO]:
    """The rate board: the rate in force per currency."""
    authz.require(uow, "fx.view")
    rows = uow.session.execute(
        select(FxRate).where(FxRate.status == "active").order_by(FxRate.currency)
        .limit(limits.MAX_PAGE_ROWS)).scalars()
    return [to_dto(r) for r in rows]


def pending_rates(uow: UnitOfWork) -> list[FxRateDTO]:
    authz.require(uow, "fx.view")
    rows = uow.session.execute(
        select(FxRate).where(FxRate.status == "pending").order_by(FxRate.id)
        .limit(limits.MAX_PAGE_ROWS)).scalars()
    return [to_dto(r) for r in rows]


def rate_history(uow: UnitOfWork, *, currency: str, since: datetime | None = None,
                 limit: int = limits.FX_MAX_HISTORY_ROWS) -> list[FxRateDTO]:
    """Rates that were in force, oldest first (the chart): the newest `limit` of them."""
    authz.require(uow, "fx.view")
    money.check_currency(currency)
    limit = max(1, min(limit, limits.FX_MAX_HISTORY_ROWS))
    q = select(FxRate).where(FxRate.currency == currency, FxRate.status.in_(APPROVED))
    if since is not None:
        q = q.where(FxRate.effective_at >= since)
    rows = uow.session.execute(
        q.order_by(FxRate.effective_at.desc(), FxRate.id.desc()).limit(limit)).scalars()
    return [to_dto(r) for r in reversed(list(rows))]


def rates_stamp(uow: UnitOfWork) -> str:
    """A cheap token that changes whenever a rate is entered, approved, rejected or imported:
    the rate board polls it and reloads only when it moved."""
    authz.require(uow, "fx.view")
    newest, decided = uow.session.execute(
        select(func.max(FxRate.id), func.max(FxRate.approved_at))).one()
    return f"{newest or 0}:{decided.isoformat() if decided else '-'}"
