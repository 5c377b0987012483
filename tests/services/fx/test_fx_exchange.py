"""Exchanges between accounts and at the counter: amounts, postings per currency, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core import errors
from core.models.audit import AuditEvent
from core.models.fx import FxDeal
from core.models.ledger import JournalEntry
from core.rules.ledger import Line
from core.services import fx, fx_exchange, ledger
from core.services.authz import SYSTEM
from tests.services.fx.conftest import SUPERVISOR, TELLER


def count(fxbank, model) -> int:
    with fxbank.ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_account_exchange_eur_to_gbp(fxbank):
    eur, gbp = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("GBP")
    q = fxbank.ctx.read(fx_exchange.quote, TELLER, from_currency="EUR", to_currency="GBP",
                        amount_minor=10_000, fee_minor=200)
    # Hand arithmetic (tests/unit/test_fx_rules.py): 100.00 EUR -> 83.72 GBP, spread 3.34 EUR.
    assert (q.to_amount_minor, q.spread_minor, q.total_from_minor) == (8_372, 334, 10_200)
    assert q.customer_rate == Decimal("0.8372093023") and not q.stale
    deal = fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER,
                          idempotency_key="fx-acc-0001", from_account_id=eur,
                          to_account_id=gbp, amount_minor=10_000, fee_minor=200,
                          expected_counter_minor=8_372)
    assert (deal.from_amount_minor, deal.to_amount_minor, deal.fee_minor, deal.spread_minor) \
        == (10_000, 8_372, 200, 334)
    # Customer: 1000.00 - 100.00 - 2.00 fee = 898.00 EUR; 83.72 GBP received.
    assert fxbank.balance(eur) == 89_800 and fxbank.balance(gbp) == 8_372
    # Bank: long 96.66 EUR (what the paid-out GBP is worth at mid), short 83.72 GBP,
    # 3.34 EUR spread income, 2.00 EUR fee income.
    assert fxbank.balance(fxbank.gl("EUR", "3900")) == 9_666
    assert fxbank.balance(fxbank.gl("GBP", "3900")) == -8_372
    assert fxbank.balance(fxbank.gl("EUR", "4200")) == 334
    assert fxbank.balance(fxbank.gl("EUR", "4000")) == 200
    assert fxbank.unbalanced() == []
    entry = fxbank.ctx.read(ledger.get_entry, SYSTEM, entry_id=deal.entry_id)
    sums: dict[str, int] = {}
    for p in entry.postings:
        sums[p.currency] = sums.get(p.currency, 0) + p.amount_minor
    assert sums == {"EUR": 0, "GBP": 0}
    with fxbank.ctx.engine.connect() as conn:
        event = conn.execute(select(AuditEvent).where(AuditEvent.action == "fx.exchange")).one()
    assert event.actor == "tom" and event.entity_id == str(deal.deal_id)
    assert '"fee_minor":200' in event.payload and '"to":["GBP",8372]' in event.payload


def test_counter_cash_jpy_in_bhd_out_with_a_till(fxbank):
    # The customer hands in 100,000 JPY and takes BHD: 246.268 BHD, spread 2,228 JPY
    # (arithmetic in tests/unit/test_fx_rules.py).
    till_jpy, till_bhd = fxbank.till("JPY"), fxbank.till("BHD")
    before = count(fxbank, JournalEntry)
    with pytest.raises(errors.InsufficientFunds):  # the till holds no BHD yet
        fxbank.ctx.run(fx_exchange.exchange_cash, TELLER, idempotency_key="fx-cash-0001",
                       cash_in_account_id=till_jpy, cash_out_account_id=till_bhd,
                       amount_minor=100_000)
    assert count(fxbank, JournalEntry) == before and count(fxbank, FxDeal) == 0
    vault = fxbank.gl("BHD", "1000")
    fxbank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key="till-fund-bhd", kind="till_fund",
                   lines=[Line(till_bhd, 500_000, "BHD"), Line(vault, -500_000, "BHD")])
    deal = fxbank.ctx.run(fx_exchange.exchange_cash, TELLER, idempotency_key="fx-cash-0001",
                          cash_in_account_id=till_jpy, cash_out_account_id=till_bhd,
                          amount_minor=100_000)
    assert (deal.kind, deal.to_amount_minor, deal.spread_minor) == ("cash", 246_268, 2_228)
    assert fxbank.balance(till_jpy) == 100_000
    assert fxbank.balance(till_bhd) == 500_000 - 246_268
    assert fxbank.balance(fxbank.gl("JPY", "3900")) == 97_772
    assert fxbank.balance(fxbank.gl("JPY", "4200")) == 2_228
    assert fxbank.balance(fxbank.gl("BHD", "3900")) == -246_268
    assert fxbank.unbalanced() == []


def test_counter_receive_side_usd_for_jpy(fxbank):
    # The customer wants 10,000 JPY for USD cash: 10000 * 0.0068 = 68.00 USD exactly.
    # At mid 10000 JPY = 67.00 USD, so the spread is 1.00 USD.
    usd_cash, jpy_cash = fxbank.gl("USD", "1000"), fxbank.gl("JPY", "1000")
    deal = fxbank.ctx.run(fx_exchange.exchange_cash, TELLER, idempotency_key="fx-cash-0002",
                          cash_in_account_id=usd_cash, cash_out_account_id=jpy_cash,
                          amount_minor=10_000, side="receive", fee_minor=150)
    assert (deal.from_amount_minor, deal.to_amount_minor, deal.spread_minor) == (6_800, 10_000,
                                                                                100)
    assert fxbank.balance(usd_cash) == 6_950 and fxbank.balance(jpy_cash) == -10_000
    assert fxbank.balance(fxbank.gl("USD", "4200")) == 100
    assert fxbank.balance(fxbank.gl("USD", "4000")) == 150
    assert fxbank.unbalanced() == []


def test_branch_margin_widens_the_customer_rate(fxbank):
    fxbank.ctx.run(fx.set_branch_fx, SYSTEM, branch_id=fxbank.branch_id, margin_bp=50)
    q = fxbank.ctx.read(fx_exchange.quote, TELLER, from_currency="USD", to_currency="EUR",
                        amount_minor=100_000, branch_id=fxbank.branch_id)
    # EUR sell 1.12 * 1.005 = 1.1256; 1000.00 / 1.1256 = 888.4150... -> 888.41 EUR.
    # At mid 888.41 * 1.10 = 977.251 -> 977.25 USD; spread 1000.00 - 977.25 = 22.75 USD.
    assert (q.to_amount_minor, q.spread_minor, q.margin_bp) == (88_841, 2_275, 50)


def test_idempotent_exchange(fxbank):
    eur, gbp = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("GBP")
    kw = dict(idempotency_key="fx-idem-0001", from_account_id=eur, to_account_id=gbp,
              amount_minor=10_000)
    first = fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER, **kw)
    # Rates move; the retry must still answer the first deal, not price again.
    fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text="currency,buy,sell\nGBP,1.1,1.2\n")
    again = fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER, **kw)
    assert again.replayed and again.deal_id == first.deal_id
    assert again.to_amount_minor == first.to_amount_minor
    assert fxbank.balance(eur) == 90_000 and count(fxbank, FxDeal) == 1
    with pytest.raises(errors.IdempotencyConflict):
        fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER,
                       **{**kw, "amount_minor": 10_001})


def test_stale_rate_needs_override_permission(fxbank):
    eur, gbp = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("GBP")
    fxbank.clock.at = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)  # rates of 4 Dec 09:00: 24.5 h
    q = fxbank.ctx.read(fx_exchange.quote, TELLER, from_currency="EUR", to_currency="GBP",
                        amount_minor=10_000)
    assert q.stale and q.age_s == 24 * 3600 + 1800
    kw = dict(from_account_id=eur, to_account_id=gbp, amount_minor=10_000)
    with pytest.raises(errors.FxStaleRate):
        fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER,
                       idempotency_key="fx-stale-001", **kw)
    with pytest.raises(errors.PermissionDenied):
        fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER,
                       idempotency_key="fx-stale-002", override_stale=True, **kw)
    assert count(fxbank, FxDeal) == 0 and fxbank.balance(eur) == 100_000
    deal = fxbank.ctx.run(fx_exchange.exchange_between_accounts, SUPERVISOR,
                          idempotency_key="fx-stale-003", override_stale=True, **kw)
    assert deal.stale_override and fxbank.balance(gbp) == 8_372


def test_branch_sets_its_own_stale_age(fxbank):
    # Rates of 09:00, clock at 16:00: 7 hours old, fresh for the bank's 24-hour default.
    kw = dict(from_currency="EUR", to_currency="GBP", amount_minor=10_000,
              branch_id=fxbank.branch_id)
    assert not fxbank.ctx.read(fx_exchange.quote, TELLER, **kw).stale
    assert fxbank.ctx.run(fx.set_branch_fx, SYSTEM, branch_id=fxbank.branch_id,
                          max_rate_age_s=6 * 3600) == (0, 6 * 3600)
    q = fxbank.ctx.read(fx_exchange.quote, TELLER, **kw)
    assert q.stale and q.max_age_s == 6 * 3600
    for bad in (dict(max_rate_age_s=0), dict(margin_bp=-1), dict(margin_bp=True)):
        with pytest.raises(errors.InvalidInput):
            fxbank.ctx.run(fx.set_branch_fx, SYSTEM, branch_id=fxbank.branch_id, **bad)
    with pytest.raises(errors.PermissionDenied):
        fxbank.ctx.run(fx.set_branch_fx, TELLER, branch_id=fxbank.branch_id, margin_bp=10)


def test_rate_changed_since_the_quote_is_refused(fxbank):
    eur, gbp = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("GBP")
    with pytest.raises(errors.FxRateChanged):
        fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER,
                       idempotency_key="fx-moved-001", from_account_id=eur, to_account_id=gbp,
                       amount_minor=10_000, expected_counter_minor=8_400)
    assert count(fxbank, FxDeal) == 0


def test_refusals_change_nothing(fxbank):
    eur, eur2 = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("EUR")
    gbp = fxbank.account("GBP")
    bhd_cash, jpy_cash = fxbank.gl("BHD", "1000"), fxbank.gl("JPY", "1000")
    acct = fx_exchange.exchange_between_accounts
    cases = [
        (acct, dict(from_account_id=eur, to_account_id=eur2, amount_minor=100),
         errors.FxSameCurrency),
        (acct, dict(from_account_id=eur, to_account_id=gbp, amount_minor=0),
         errors.NonPositiveAmount),
        (acct, dict(from_account_id=eur, to_account_id=gbp, amount_minor=100_001),
         errors.InsufficientFunds),
        (acct, dict(from_account_id=eur, to_account_id=fxbank.gl("GBP", "1000"),
                    amount_minor=100), errors.FxNotCustomerAccount),
        (acct, dict(from_account_id=eur, to_account_id=gbp, amount_minor=100, fee_minor=-1),
         errors.InvalidInput),
        (acct, dict(from_account_id=eur, to_account_id=gbp, amount_minor=100, side="x"),
         errors.InvalidInput),
        # 1 fils buys 0.388 JPY: below the smallest unit of the target currency.
        (fx_exchange.exchange_cash, dict(cash_in_account_id=bhd_cash,
                                         cash_out_account_id=jpy_cash, amount_minor=1),
         errors.FxAmountTooSmall),
        (fx_exchange.exchange_cash, dict(cash_in_account_id=eur, cash_out_account_id=jpy_cash,
                                         amount_minor=100), errors.FxNotCashAccount),
    ]
    entries = count(fxbank, JournalEntry)
    for i, (service, kw, error) in enumerate(cases):
        with pytest.raises(error):
            fxbank.ctx.run(service, TELLER, idempotency_key=f"fx-bad-{i:04d}", **kw)
    assert count(fxbank, JournalEntry) == entries and count(fxbank, FxDeal) == 0
    assert fxbank.balance(eur) == 100_000


def test_unknown_currency_and_missing_rate(fxbank):
    with pytest.raises(errors.UnknownCurrency):
        fxbank.ctx.read(fx_exchange.quote, TELLER, from_currency="XXZ", to_currency="USD",
                        amount_minor=100)
    with pytest.raises(errors.FxNoRate):
        fxbank.ctx.read(fx_exchange.quote, TELLER, from_currency="CHF", to_currency="USD",
                        amount_minor=100)


def test_every_exchange_keeps_every_currency_balanced(fxbank):
    pairs = [("EUR", "GBP"), ("GBP", "JPY"), ("JPY", "BHD"), ("BHD", "USD"), ("USD", "EUR"),
             ("BHD", "EUR")]
    for i, (src, dst) in enumerate(pairs):
        cash_in, cash_out = fxbank.gl(src, "1000"), fxbank.gl(dst, "1000")
        for side, amount in (("give", 12_345), ("receive", 6_789)):
            fxbank.ctx.run(fx_exchange.exchange_cash, TELLER,
                           idempotency_key=f"fx-mix-{i}-{side}", cash_in_account_id=cash_in,
                           cash_out_account_id=cash_out, amount_minor=amount, side=side,
                           fee_minor=7)
    assert fxbank.unbalanced() == []
    deals = fxbank.ctx.read(fx_exchange.list_deals, SYSTEM)
    assert len(deals) == 12
    flows: dict[str, int] = {}
    for d in deals:  # the position is what the deals put in at mid less what they paid out
        flows[d.from_currency] = flows.get(d.from_currency, 0) + d.from_amount_minor \
            - d.spread_minor
        flows[d.to_currency] = flows.get(d.to_currency, 0) - d.to_amount_minor
    for ccy, flow in flows.items():
        assert fxbank.balance(fxbank.gl(ccy, "3900")) == flow, ccy
    for d in deals:  # the deal stores what was posted
        entry = fxbank.ctx.read(ledger.get_entry, SYSTEM, entry_id=d.entry_id)
        moved = {(p.account_id, p.currency): p.amount_minor for p in entry.postings}
        assert moved[(d.debit_account_id, d.from_currency)] == d.from_amount_minor + d.fee_minor
        assert moved[(d.credit_account_id, d.to_currency)] == -d.to_amount_minor


def test_concurrent_counter_exchanges_each_key_once(fxbank):
    from concurrent.futures import ThreadPoolExecutor

    usd_cash, eur_cash = fxbank.gl("USD", "1000"), fxbank.gl("EUR", "1000")
    keys = [f"fx-conc-{i % 12:04d}" for i in range(24)]  # every key sent twice

    def one(key: str):
        return fxbank.ctx.run(fx_exchange.exchange_cash, TELLER, idempotency_key=key,
                              cash_in_account_id=usd_cash, cash_out_account_id=eur_cash,
                              amount_minor=10_000)

    with ThreadPoolExecutor(max_workers=4) as pool:
        deals = list(pool.map(one, keys))
    assert len({d.deal_id for d in deals}) == 12 and count(fxbank, FxDeal) == 12
    # 100.00 USD / 1.12 = 89.2857... -> 89.28 EUR each time.
    assert {d.to_amount_minor for d in deals} == {8_928}
    assert fxbank.balance(usd_cash) == 12 * 10_000 and fxbank.balance(eur_cash) == -12 * 8_928
    assert fxbank.unbalanced() == []
