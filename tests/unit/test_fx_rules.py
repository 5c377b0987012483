"""Pure FX rules: rate checks, margins, cross rates against hand arithmetic, rounding modes."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import errors
from core.rules import fx

# Base currency USD throughout. Rates: USD per one unit of the currency.
EUR = fx.Quote.of(fx.check_rates("EUR", "USD", "1.08", "1.12", "1.10"))
GBP = fx.Quote.of(fx.check_rates("GBP", "USD", "1.25", "1.29", "1.27"))
JPY = fx.Quote.of(fx.check_rates("JPY", "USD", "0.0066", "0.0068", "0.0067"))
BHD = fx.Quote.of(fx.check_rates("BHD", "USD", "2.64", "2.68", "2.66"))
USD = fx.Quote.base("USD")


def test_cross_eur_to_gbp_uses_bank_buy_of_eur_and_bank_sell_of_gbp():
    # Customer gives 100.00 EUR for GBP. The bank buys EUR at 1.08 and sells GBP at 1.29:
    #   100 * 1.08 / 1.29 = 83.72093... GBP -> ROUND_DOWN -> 83.72 GBP (8372 pence)
    # (the wrong sides, 1.12 / 1.25, would give 89.60).
    # Spread: 83.72 GBP at mid in EUR = 83.72 * 1.27 / 1.10 = 106.3244 / 1.10 = 96.6585...
    #   -> ROUND_HALF_EVEN 96.66 EUR; spread = 100.00 - 96.66 = 3.34 EUR (334 cents).
    c = fx.convert(10_000, EUR, GBP, "give")
    assert fx.cross_rate(EUR, GBP) == Fraction("1.08") / Fraction("1.29")
    assert (c.from_amount_minor, c.to_amount_minor) == (10_000, 8_372)
    assert c.spread_minor == 334 and c.from_position_minor == 9_666
    assert fx.display_rate(c.customer_rate) == Decimal("0.8372093023")


def test_cross_jpy_exponent_0_to_bhd_exponent_3():
    # 100,000 JPY for BHD: 100000 * 0.0066 = 660 USD; 660 / 2.68 = 246.268656... BHD
    #   -> ROUND_DOWN to 3 places: 246.268 BHD = 246268 fils.
    # At mid in JPY: 246.268 * 2.66 = 655.07288 USD; / 0.0067 = 97772.07... -> 97772 JPY;
    #   spread = 100000 - 97772 = 2228 JPY.
    c = fx.convert(100_000, JPY, BHD, "give")
    assert (c.to_amount_minor, c.spread_minor) == (246_268, 2_228)


def test_receive_side_rounds_what_the_customer_pays_up():
    # The customer wants 10,000 JPY and pays BHD: 10000 * 0.0068 = 68 USD (bank sells JPY);
    #   68 / 2.64 (bank buys BHD) = 25.7575... BHD -> ROUND_UP -> 25.758 BHD = 25758 fils.
    c = fx.convert(10_000, BHD, JPY, "receive")
    assert (c.from_amount_minor, c.to_amount_minor) == (25_758, 10_000)


def test_base_to_foreign():
    # 10.00 USD for JPY: 10 / 0.0068 = 1470.588... -> ROUND_DOWN -> 1470 JPY.
    # At mid: 1470 * 0.0067 = 9.849 USD -> 9.85 (half-even, not a tie); spread 0.15 USD.
    c = fx.convert(1_000, USD, JPY, "give")
    assert (c.to_amount_minor, c.spread_minor) == (1_470, 15)


def test_rounding_at_exactly_half():
    half = fx.Quote.of(fx.check_rates("EUR", "USD", "1.90", "2", "1.95"))
    # 0.03 USD / 2 = 0.015 EUR exactly: the customer receives ROUND_DOWN 0.01 (not 0.02).
    assert fx.convert(3, USD, half, "give").to_amount_minor == 1
    # 0.05 USD / 2 = 0.025 EUR -> 0.02.
    assert fx.convert(5, USD, half, "give").to_amount_minor == 2
    # Valuation at mid is ROUND_HALF_EVEN: 1, 3, 5 JPY at 0.005 USD = 0.5, 1.5, 2.5 cents.
    mid = Fraction("0.005")
    assert [fx.base_value_minor(n, "JPY", mid, "USD") for n in (1, 3, 5)] == [0, 2, 2]
    assert [fx.base_value_minor(-n, "JPY", mid, "USD") for n in (1, 3, 5)] == [0, -2, -2]


@pytest.mark.parametrize("value,mode,expected", [
    (Fraction(5, 2), ROUND_HALF_EVEN, 2), (Fraction(7, 2), ROUND_HALF_EVEN, 4),
    (Fraction(-5, 2), ROUND_HALF_EVEN, -2), (Fraction(-7, 2), ROUND_HALF_EVEN, -4),
    (Fraction(29, 10), ROUND_DOWN, 2), (Fraction(-29, 10), ROUND_DOWN, -2),
    (Fraction(21, 10), ROUND_UP, 3), (Fraction(-21, 10), ROUND_UP, -3),
    (Fraction(4), ROUND_UP, 4), (Fraction(26, 10), ROUND_HALF_EVEN, 3),
])
def test_round_fraction_modes(value, mode, expected):
    assert fx.round_fraction(value, mode) == expected


def test_amount_below_smallest_unit_of_target_refused():
    half = fx.Quote.of(fx.check_rates("EUR", "USD", "1.90", "2", "1.95"))
    with pytest.raises(errors.FxAmountTooSmall):
        fx.convert(1, USD, half, "give")  # 0.01 USD buys 0.005 EUR: less than one cent
    with pytest.raises(errors.FxAmountTooSmall):
        fx.convert(1, BHD, JPY, "give")  # 1 fils: 0.001 * 2.64 / 0.0068 = 0.388 JPY < 1 yen


def test_same_currency_and_side_refused():
    with pytest.raises(errors.FxSameCurrency):
        fx.convert(100, EUR, EUR, "give")
    with pytest.raises(errors.InvalidInput):
        fx.convert(100, EUR, GBP, "sideways")


def test_branch_margin_widens_both_sides_not_the_mid():
    # 50 bp: buy 1.08 * 0.995 = 1.0746, sell 1.12 * 1.005 = 1.1256.
    m = fx.with_margin(EUR, 50)
    assert (m.buy, m.sell, m.mid) == (Fraction("1.0746"), Fraction("1.1256"), Fraction("1.10"))
    assert fx.with_margin(USD, 50, is_base=True) == USD
    with pytest.raises(errors.InvalidInput):
        fx.with_margin(EUR, -1)


@pytest.mark.parametrize("text", ["abc", "", "0", "-1.2", "NaN", "Infinity", "1e10",
                                  "1.2345678901234"])
def test_bad_rates_refused(text):
    with pytest.raises(errors.FxInvalidRate):
        fx.parse_rate(text)


def test_float_rate_refused():
    with pytest.raises(errors.FxInvalidRate):
        fx.parse_rate(1.1)


def test_rate_triple_checks():
    with pytest.raises(errors.FxSellBelowBuy):
        fx.check_rates("EUR", "USD", "1.12", "1.08")
    with pytest.raises(errors.FxMidOutsideSpread):
        fx.check_rates("EUR", "USD", "1.08", "1.12", "1.13")
    with pytest.raises(errors.UnknownCurrency):
        fx.check_rates("XXZ", "USD", "1", "1.1")
    with pytest.raises(errors.FxSameCurrency):
        fx.check_rates("USD", "USD", "1", "1")
    t = fx.check_rates("EUR", "USD", "1.08", "1.13")
    assert t.mid == Decimal("1.105")  # the exact middle when no mid is given
    assert fx.rate_text(fx.parse_rate("1.10000")) == "1.1"
    assert fx.rate_text(fx.parse_rate("100")) == "100"


# --- invariants over random rates and amounts ---------------------------------------------------

_CCYS = ("USD", "JPY", "BHD", "EUR")


@st.composite
def _quote(draw, currency: str) -> fx.Quote:
    if currency == "USD":
        return USD
    buy = draw(st.integers(1, 10**6))
    spread = draw(st.integers(0, 10**4))
    mid = buy + draw(st.integers(0, spread))
    scale = Decimal(1).scaleb(-draw(st.integers(0, 6)))
    return fx.Quote.of(fx.check_rates(currency, "USD", Decimal(buy) * scale,
                                      Decimal(buy + spread) * scale, Decimal(mid) * scale))


@st.composite
def _pair(draw):
    src, dst = draw(st.sampled_from([(a, b) for a in _CCYS for b in _CCYS if a != b]))
    return draw(_quote(src)), draw(_quote(dst))


@settings(max_examples=300, deadline=None)
@given(_pair(), st.integers(1, 10**12), st.sampled_from(fx.SIDES))
def test_conversion_invariants(pair, amount, side):
    give, get = pair
    try:
        c = fx.convert(amount, give, get, side)
    except (errors.FxAmountTooSmall, errors.AmountTooLarge):
        return
    rate = fx.cross_rate(give, get)
    got = fx.to_major(c.to_amount_minor, get.currency)
    paid = fx.to_major(c.from_amount_minor, give.currency)
    assert got <= paid * rate  # never pays out more than the rate covers
    if side == "give":  # and not a minor unit less than it covers
        assert fx.to_major(c.to_amount_minor + 1, get.currency) > paid * rate
    else:  # the customer pays the least amount that covers what they receive
        assert fx.to_major(c.from_amount_minor - 1, give.currency) * rate < got
    assert 0 <= c.spread_minor <= c.from_amount_minor
    assert c.from_position_minor + c.spread_minor == c.from_amount_minor
