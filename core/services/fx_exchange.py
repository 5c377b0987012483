"""Quotes and exchanges: between a customer's accounts, and cash at the counter.

One exchange posts ONE journal entry that balances in each of its two currencies:

    from currency:  Dr paying account (amount + fee)   Cr FX position 3900 (amount - spread)
                                                       Cr FX spread income 4200 (spread)
                                                       Cr fee income 4000 (fee)
    to currency:    Dr FX position 3900 (received)     Cr receiving account (received)

The spread is what the customer gave less the value at mid of what they received, so the
position enters at mid and revaluation later measures only market moves.
Permissions: fx.view (quote), fx.exchange, fx.override_stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from core import errors, limits, money
from core.dto_fx import FxDealDTO, FxQuoteDTO
from core.models.fx import FxDeal, FxRate
from core.models.ledger import Account, JournalEntry
from core.models.org import Branch
from core.rules import chart
from core.rules import fx as rules
from core.rules import ledger as ledger_rules
from core.rules.ledger import Line
from core.services import audit, authz, calendar, ledger
from core.services import fx as rates
from core.unit_of_work import Retryable, UnitOfWork


@dataclass(frozen=True, slots=True)
class _Priced:
    conv: rules.Conversion
    from_rate: FxRate | None
    to_rate: FxRate | None
    give: rules.Quote
    get: rules.Quote
    base: str
    margin_bp: int
    effective_at: datetime
    age_s: int
    max_age_s: int
    stale: bool


def _quote_of(uow: UnitOfWork, currency: str, base: str) -> tuple[rules.Quote, FxRate | None]:
    if currency == base:
        return rules.Quote.base(base), None
    rate = rates.rate_in_force(uow, currency)
    triple = rules.RateTriple(currency, *(rules.parse_rate(v) for v in
                                          (rate.buy_rate, rate.sell_rate, rate.mid_rate)))
    return rules.Quote.of(triple), rate


def _price(uow: UnitOfWork, from_currency: str, to_currency: str, amount_minor: int,
           side: str, branch_id: int | None) -> _Priced:
    money.check_currency(from_currency)
    money.check_currency(to_currency)
    if from_currency == to_currency:
        raise errors.FxSameCurrency(currency=from_currency)
    base = calendar.base_currency(uow)
    margin, max_age_s = rates.branch_fx(uow, branch_id)
    give, from_rate = _quote_of(uow, from_currency, base)
    get, to_rate = _quote_of(uow, to_currency, base)
    give = rules.with_margin(give, margin, is_base=from_rate is None)
    get = rules.with_margin(get, margin, is_base=to_rate is None)
    conv = rules.convert(amount_minor, give, get, side)
    now = uow.clock.now()
    effective = min(r.effective_at for r in (from_rate, to_rate) if r is not None)
    age_s = max(0, int((now - effective).total_seconds()))
    return _Priced(conv, from_rate, to_rate, give, get, base, margin, effective, age_s,
                   max_age_s, age_s > max_age_s)


def _check_fee(fee_minor: int, currency: str) -> int:
    if isinstance(fee_minor, bool) or not isinstance(fee_minor, int) or fee_minor < 0:
        raise errors.InvalidInput(field="fee", reason="zero or a positive whole minor amount")
    if fee_minor:
        money.check_amount_minor(fee_minor, currency)
    return fee_minor


def quote(uow: UnitOfWork, *, from_currency: str, to_currency: str, amount_minor: int,
          side: str = "give", branch_id: int | None = None, fee_minor: int = 0) -> FxQuoteDTO:
    """What the customer would give and get now; `stale` warns that the rate is too old."""
    authz.require(uow, "fx.view")
    p = _price(uow, from_currency, to_currency, amount_minor, side, branch_id)
    fee = _check_fee(fee_minor, from_currency)
    c = p.conv
    return FxQuoteDTO(c.from_currency, c.to_currency, c.from_amount_minor, c.to_amount_minor,
                      fee, c.from_amount_minor + fee, rules.display_rate(c.customer_rate),
                      rules.display_rate(c.mid_rate), c.spread_minor, p.margin_bp,
                      uow.clock.now(), p.effective_at, p.age_s, p.max_age_s,
                      p.stale, p.from_rate.id if p.from_rate else None,
                      p.to_rate.id if p.to_rate else None)


def exchange_between_accounts(
    uow: UnitOfWork, *, idempotency_key: str, from_account_id: int, to_account_id: int,
    amount_minor: int, side: str = "give", fee_minor: int = 0, branch_id: int | None = None,
    override_stale: bool = False, expected_counter_minor: int | None = None, memo: str = "",
) -> FxDealDTO:
    """A customer converts money from one of their accounts into an account in another currency.

    `amount_minor` is in the from account's currency (side='give') or the to account's
    (side='receive'); `expected_counter_minor` is the other amount the customer was shown:
    when given and the rates moved since, the deal is refused (FxRateChanged).
    """
    authz.require(uow, "fx.exchange")
    src, dst = _account(uow, from_account_id), _account(uow, to_account_id)
    for acc in (src, dst):
        if acc.kind != "customer":
            raise errors.FxNotCustomerAccount(account=acc.number)
    return _deal(uow, "account", idempotency_key, src, dst, amount_minor, side, fee_minor,
                 branch_id or uow.actor.branch_id or src.branch_id, override_stale,
                 expected_counter_minor, memo)


def exchange_cash(
    uow: UnitOfWork, *, idempotency_key: str, cash_in_account_id: int, cash_out_account_id: int,
    amount_minor: int, side: str = "give", fee_minor: int = 0, branch_id: int | None = None,
    override_stale: bool = False, expected_counter_minor: int | None = None, memo: str = "",
) -> FxDealDTO:
    """Cash over the counter: the customer hands in one currency and takes another.

    The two cash accounts are GL asset accounts (the till's cash in each currency, or the
    vault); the till session wiring chooses them. A till short of the currency paid out is
    refused by the ledger's floor check (InsufficientFunds) when the till account enforces one.
    """
    authz.require(uow, "fx.exchange")
    cash_in, cash_out = _account(uow, cash_in_account_id), _account(uow, cash_out_account_id)
    for acc in (cash_in, cash_out):
        if acc.kind != "gl" or acc.gl_type != "asset":
            raise errors.FxNotCashAccount(account=acc.number)
    return _deal(uow, "cash", idempotency_key, cash_in, cash_out, amount_minor, side, fee_minor,
                 branch_id or uow.actor.branch_id or cash_in.branch_id, override_stale,
                 expected_counter_minor, memo)


def _account(uow: UnitOfWork, account_id: int) -> Account:
    acc = uow.session.get(Account, account_id)
    if acc is None:
        raise errors.UnknownAccount(account=account_id)
    return acc


def _request_hash(*parts: object) -> bytes:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).digest()


def _deal(uow: UnitOfWork, kind: str, key: str, debit: Account, credit: Account, amount: int,
          side: str, fee_minor: int, branch_id: int, override_stale: bool,
          expected: int | None, memo: str) -> FxDealDTO:
    ledger_rules.check_idempotency_key(key)
    request_hash = _request_hash(kind, debit.id, credit.id, amount, side, fee_minor, branch_id,
                                 override_stale, expected, memo)
    found = uow.session.execute(select(FxDeal).where(FxDeal.idempotency_key == key)
                                ).scalar_one_or_none()
    if found is not None:
        if bytes(found.request_hash) != request_hash:
            raise errors.IdempotencyConflict(key=key)
        return _to_dto(uow, found, replayed=True)
    if debit.id == credit.id:
        raise errors.SameAccountTransfer(account=debit.number)
    p = _price(uow, debit.currency, credit.currency, amount, side, branch_id)
    fee = _check_fee(fee_minor, debit.currency)
    _check_stale_and_expected(uow, p, side, override_stale, expected)
    c = p.conv
    entry = ledger.post_entry(
        uow, idempotency_key=key, kind=f"fx_{kind}", branch_id=branch_id,
        lines=_lines(uow, branch_id, debit.id, credit.id, c, fee), memo=memo,
        permission="fx.exchange")
    if entry.replayed:  # a concurrent request with this key won: answer from its deal
        raise Retryable("fx deal key raced")
    now = uow.clock.now()
    deal = FxDeal(
        idempotency_key=key, request_hash=request_hash, kind=kind, branch_id=branch_id,
        debit_account_id=debit.id, credit_account_id=credit.id,
        from_currency=c.from_currency, to_currency=c.to_currency,
        from_amount_minor=c.from_amount_minor, to_amount_minor=c.to_amount_minor,
        fee_minor=fee, spread_minor=c.spread_minor,
        customer_rate=rules.rate_text(rules.display_rate(c.customer_rate)),
        mid_rate=rules.rate_text(rules.display_rate(c.mid_rate)), margin_bp=p.margin_bp,
        from_rate_id=p.from_rate.id if p.from_rate else None,
        to_rate_id=p.to_rate.id if p.to_rate else None,
        from_base_value_minor=rules.base_value_minor(c.from_position_minor, c.from_currency,
                                                     p.give.mid, p.base),
        to_base_value_minor=rules.base_value_minor(c.to_amount_minor, c.to_currency,
                                                   p.get.mid, p.base),
        quoted_at=now, rate_effective_at=p.effective_at, stale_override=p.stale,
        entry_id=entry.entry_id, actor=uow.actor.username, created_at=now)
    uow.session.add(deal)
    uow.session.flush()
    audit.append(uow, action="fx.exchange", entity_type="fx_deal", entity_id=deal.id, payload={
        "kind": kind, "from": [c.from_currency, c.from_amount_minor],
        "to": [c.to_currency, c.to_amount_minor], "fee_minor": fee, "spread_minor": c.spread_minor,
        "rate": deal.customer_rate, "mid": deal.mid_rate, "margin_bp": p.margin_bp,
        "rates": [deal.from_rate_id, deal.to_rate_id], "stale_override": p.stale,
        "entry": entry.reference})
    return _to_dto(uow, deal, reference=entry.reference)


def _check_stale_and_expected(uow: UnitOfWork, p: _Priced, side: str, override_stale: bool,
                              expected: int | None) -> None:
    if p.stale:
        if not override_stale:
            currency = p.conv.from_currency if p.from_rate and \
                p.from_rate.effective_at == p.effective_at else p.conv.to_currency
            raise errors.FxStaleRate(currency=currency, age_minutes=p.age_s // 60,
                                     max_minutes=p.max_age_s // 60)
        authz.require(uow, "fx.override_stale")
    if expected is not None:
        got = p.conv.to_amount_minor if side == "give" else p.conv.from_amount_minor
        currency = p.conv.to_currency if side == "give" else p.conv.from_currency
        if got != expected:
            raise errors.FxRateChanged(currency=currency,
                                       expected=money.format_minor(expected, currency),
                                       actual=money.format_minor(got, currency))


def _gl_ids(uow: UnitOfWork, branch_id: int, wanted: list[tuple[str, str]]
            ) -> dict[tuple[str, str], int]:
    """The branch's GL accounts (code, currency) -> id, in one query."""
    branch = uow.session.get(Branch, branch_id)
    if branch is None:
        raise errors.UnknownBranch(branch=branch_id)
    numbers = {chart.gl_number(branch.code, code, ccy): (code, ccy) for code, ccy in wanted}
    rows = uow.session.execute(select(Account.number, Account.id)
                               .where(Account.number.in_(list(numbers)))).all()
    found = {numbers[number]: int(acc_id) for number, acc_id in rows}
    for number, key in sorted(numbers.items()):
        if key not in found:
            raise errors.UnknownAccount(account=number)
    return found


def _lines(uow: UnitOfWork, branch_id: int, debit_id: int, credit_id: int,
           c: rules.Conversion, fee: int) -> list[Line]:
    src, dst = c.from_currency, c.to_currency
    ids = _gl_ids(uow, branch_id, [("3900", src), ("4200", src), ("4000", src), ("3900", dst)])

    def gl(code: str, currency: str) -> int:
        return ids[(code, currency)]

    lines = [Line(debit_id, c.from_amount_minor + fee, src)]
    for code, amount in (("3900", c.from_position_minor), ("4200", c.spread_minor),
                         ("4000", fee)):
        if amount:
            lines.append(Line(gl(code, src), -amount, src))
    lines += [Line(gl("3900", dst), c.to_amount_minor, dst),
              Line(credit_id, -c.to_amount_minor, dst)]
    return lines


def _to_dto(uow: UnitOfWork, d: FxDeal, *, replayed: bool = False,
            reference: str | None = None) -> FxDealDTO:
    if reference is None:
        reference = uow.session.execute(
            select(JournalEntry.reference).where(JournalEntry.id == d.entry_id)).scalar_one()
    return FxDealDTO(d.id, d.kind, d.branch_id, d.debit_account_id, d.credit_account_id,
                     d.from_currency, d.to_currency, d.from_amount_minor, d.to_amount_minor,
                     d.fee_minor, d.spread_minor, Decimal(d.customer_rate), Decimal(d.mid_rate),
                     d.margin_bp, d.quoted_at, d.stale_override, d.entry_id, reference, replayed)


def get_deal(uow: UnitOfWork, *, deal_id: int) -> FxDealDTO:
    authz.require(uow, "fx.view")
    deal = uow.session.get(FxDeal, deal_id)
    if deal is None:
        raise errors.InvalidInput(field="deal", reason=f"no FX deal {deal_id}")
    return _to_dto(uow, deal)


def list_deals(uow: UnitOfWork, *, branch_id: int | None = None, after_id: int = 0,
               limit: int = 100) -> list[FxDealDTO]:
    """Keyset page of deals in id order (the screen's journal of exchanges)."""
    authz.require(uow, "fx.view")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = select(FxDeal).where(FxDeal.id > after_id).order_by(FxDeal.id).limit(limit)
    if branch_id is not None:
        q = q.where(FxDeal.branch_id == branch_id)
    return [_to_dto(uow, d) for d in uow.session.execute(q).scalars()]
