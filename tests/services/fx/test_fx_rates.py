"""Rates: maker-checker, CSV and ECB imports (bad line refused, old rates stay), history."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core import errors
from core.models.audit import AuditEvent
from core.models.fx import FxRate
from core.services import fx
from core.services.authz import SYSTEM
from tests.services.fx.conftest import CHECKER, FIXTURES, MAKER, TELLER


def board(fxbank) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return {r.currency: (r.buy, r.sell, r.mid)
            for r in fxbank.ctx.read(fx.current_rates, SYSTEM)}


def rate_rows(fxbank) -> int:
    with fxbank.ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(FxRate)).scalar_one()


def test_rates_in_force_are_exact(fxbank):
    assert board(fxbank)["JPY"] == (Decimal("0.0066"), Decimal("0.0068"), Decimal("0.0067"))
    assert board(fxbank)["BHD"] == (Decimal("2.64"), Decimal("2.68"), Decimal("2.66"))


def test_maker_checker(fxbank):
    ctx = fxbank.ctx
    entered = ctx.run(fx.enter_rate, MAKER, currency="EUR", buy="1.09", sell="1.13")
    assert entered.status == "pending" and entered.mid == Decimal("1.11")
    assert board(fxbank)["EUR"][2] == Decimal("1.10")  # pending is not in force
    with pytest.raises(errors.FxSelfApproval):
        ctx.run(fx.approve_rate, MAKER, rate_id=entered.rate_id)
    with pytest.raises(errors.PermissionDenied):
        ctx.run(fx.approve_rate, TELLER, rate_id=entered.rate_id)
    approved = ctx.run(fx.approve_rate, CHECKER, rate_id=entered.rate_id)
    assert approved.status == "active" and approved.approved_by == "chen"
    assert board(fxbank)["EUR"] == (Decimal("1.09"), Decimal("1.13"), Decimal("1.11"))
    with pytest.raises(errors.FxRateNotPending):
        ctx.run(fx.approve_rate, CHECKER, rate_id=entered.rate_id)
    history = ctx.read(fx.rate_history, SYSTEM, currency="EUR")
    assert [(h.mid, h.status) for h in history] == [(Decimal("1.1"), "superseded"),
                                                   (Decimal("1.11"), "active")]
    with ctx.engine.connect() as conn:
        actions = conn.execute(select(AuditEvent.action, AuditEvent.actor)
                               .where(AuditEvent.entity_type == "fx_rate")).all()
    assert ("fx.rates.enter", "maria") in actions and ("fx.rates.approve", "chen") in actions


def test_rejected_rate_never_in_force(fxbank):
    entered = fxbank.ctx.run(fx.enter_rate, MAKER, currency="GBP", buy="2", sell="2.1")
    rejected = fxbank.ctx.run(fx.reject_rate, CHECKER, rate_id=entered.rate_id,
                              reason="typo: GBP is not 2 USD")
    assert rejected.status == "rejected"
    assert board(fxbank)["GBP"][2] == Decimal("1.27")


@pytest.mark.parametrize("kw,error", [
    (dict(buy="1.12", sell="1.08"), errors.FxSellBelowBuy),
    (dict(buy="0", sell="1.08"), errors.FxInvalidRate),
    (dict(buy="-1", sell="1.08"), errors.FxInvalidRate),
    (dict(buy="abc", sell="1.08"), errors.FxInvalidRate),
    (dict(buy="1.08", sell="NaN"), errors.FxInvalidRate),
    (dict(buy="1.08", sell="1.12", mid="1.2"), errors.FxMidOutsideSpread),
    (dict(currency="XXZ", buy="1", sell="1.1"), errors.UnknownCurrency),
    (dict(currency="USD", buy="1", sell="1"), errors.FxSameCurrency),
    (dict(effective_at=datetime(2027, 1, 1, tzinfo=UTC)), errors.InvalidInput),
])
def test_bad_rates_refused_nothing_written(fxbank, kw, error):
    before = rate_rows(fxbank)
    args = dict(currency="EUR", buy="1.08", sell="1.12")
    args.update(kw)
    with pytest.raises(error):
        fxbank.ctx.run(fx.enter_rate, MAKER, **args)
    assert rate_rows(fxbank) == before


def test_csv_with_a_bad_line_is_refused_and_old_rates_stay(fxbank):
    before, rows = board(fxbank), rate_rows(fxbank)
    text = ("currency,buy,sell\n"
            "EUR,1.20,1.22\n"
            "GBP,1.29,1.25\n"  # line 3: sell below buy
            "JPY,0.007,0.0072\n")
    with pytest.raises(errors.FxRateFileInvalid) as info:
        fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text=text)
    assert info.value.params["line"] == 3 and "below the buy rate" in str(info.value)
    for bad, line in [("currency,buy,sell\nEUR,1.2,x\n", 2),
                      ("currency,buy,sell\nEUR,1.2,1.3\n\nXXZ,1,2\n", 4),
                      ("currency,buy,sell\nEUR,1.2\n", 2),
                      ("currency;buy;sell\n", 1),
                      ("currency,buy,sell\nEUR,1.2,1.3\nEUR,1.2,1.3\n", 3)]:
        with pytest.raises(errors.FxRateFileInvalid) as info:
            fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text=bad)
        assert info.value.params["line"] == line, bad
    assert board(fxbank) == before and rate_rows(fxbank) == rows


def test_csv_import_activates_and_keeps_history(fxbank):
    text = "currency,buy,sell,mid,effective_at\nEUR,1.18,1.22,1.2,2026-12-04T12:00:00Z\n" \
           "EUR,1.05,1.07,1.06,2026-12-01\n"
    result = fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text=text)
    assert (result.rates_stored, result.rates_activated) == (2, 1)
    assert board(fxbank)["EUR"][2] == Decimal("1.2")
    mids = [h.mid for h in fxbank.ctx.read(fx.rate_history, SYSTEM, currency="EUR")]
    assert mids == [Decimal("1.06"), Decimal("1.1"), Decimal("1.2")]  # by effective time
    again = fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text=text)
    assert again.rates_stored == 0  # the same file twice adds nothing


def test_ecb_daily_derived_through_eur_for_a_usd_base(fxbank):
    result = fxbank.ctx.run(fx.import_ecb_xml, SYSTEM,
                            data=(FIXTURES / "eurofxref-daily.xml").read_bytes(), spread_bp=100)
    assert result.source == "ecb" and "EUR" in result.currencies and "USD" not in result.currencies
    assert len(result.currencies) == 29  # 28 others + EUR itself
    rates = board(fxbank)
    # EUR in USD is the ECB's USD rate: 1.0512; buy/sell 0.5 % either side:
    #   1.0512 * 0.995 = 1.045944, 1.0512 * 1.005 = 1.056456.
    assert rates["EUR"] == (Decimal("1.045944"), Decimal("1.056456"), Decimal("1.0512"))
    # JPY in USD = 1.0512 / 157.73 = 0.006664553350662...; 12 significant digits, half-even.
    assert rates["JPY"][2] == Decimal("0.00666455335066")
    # GBP = 1.0512 / 0.82858 = 1.26867653093...
    assert rates["GBP"][2] == Decimal("1.26867653093")
    assert "BHD" in rates and rates["BHD"][2] == Decimal("2.66")  # not in the ECB file: kept


def test_ecb_history_keeps_every_day_and_activates_the_newest(fxbank):
    fxbank.ctx.run(fx.import_ecb_xml, SYSTEM,
                   data=(FIXTURES / "eurofxref-hist-3d.xml").read_bytes())
    history = fxbank.ctx.read(fx.rate_history, SYSTEM, currency="CHF")
    assert [h.effective_at.date().isoformat() for h in history] == \
        ["2026-12-02", "2026-12-03", "2026-12-04"]
    assert [h.status for h in history] == ["superseded", "superseded", "active"]


def test_ecb_bad_line_named_and_old_rates_stay(fxbank):
    before, rows = board(fxbank), rate_rows(fxbank)
    lines = (FIXTURES / "eurofxref-daily.xml").read_text().splitlines()
    assert "currency='GBP'" in lines[12]
    lines[12] = lines[12].replace("0.82858", "abc")  # file line 13
    with pytest.raises(errors.FxRateFileInvalid) as info:
        fxbank.ctx.run(fx.import_ecb_xml, SYSTEM, data="\n".join(lines).encode())
    assert info.value.params["line"] == 13
    broken = (FIXTURES / "eurofxref-daily.xml").read_bytes().replace(b"</Cube>\n\t</Cube>", b"")
    with pytest.raises(errors.FxRateFileInvalid):
        fxbank.ctx.run(fx.import_ecb_xml, SYSTEM, data=broken)
    original = (FIXTURES / "eurofxref-daily.xml").read_text().splitlines()
    no_usd = "\n".join(ln for ln in original if "'USD'" not in ln).encode()
    with pytest.raises(errors.FxRateFileInvalid) as info:
        fxbank.ctx.run(fx.import_ecb_xml, SYSTEM, data=no_usd)
    assert info.value.params["line"] == 8  # the Cube time=... of the day without EUR/USD
    assert board(fxbank) == before and rate_rows(fxbank) == rows


def test_import_needs_permission(fxbank):
    with pytest.raises(errors.PermissionDenied):
        fxbank.ctx.run(fx.import_rates_csv, TELLER, text="currency,buy,sell\nEUR,1,1.1\n")


def test_rates_stamp_moves_when_rates_change(fxbank):
    first = fxbank.ctx.read(fx.rates_stamp, SYSTEM)
    assert fxbank.ctx.read(fx.rates_stamp, SYSTEM) == first
    entered = fxbank.ctx.run(fx.enter_rate, MAKER, currency="EUR", buy="1.09", sell="1.13")
    second = fxbank.ctx.read(fx.rates_stamp, SYSTEM)
    assert second != first
    fxbank.clock.at = fxbank.clock.at.replace(minute=5)
    fxbank.ctx.run(fx.approve_rate, CHECKER, rate_id=entered.rate_id)
    assert fxbank.ctx.read(fx.rates_stamp, SYSTEM) != second
