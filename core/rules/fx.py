"""Pure FX rules: rate checks, branch margin, cross rates, conversion with named rounding, spread.

A rate is the price of one major unit of a currency in major units of the base currency. The
base currency itself is quoted 1/1/1. Arithmetic is exact (fractions.Fraction) and every
rounding to minor units names its mode:

- what the customer RECEIVES is rounded DOWN (ROUND_DOWN, bank-favourable: never pay out a
  fraction of a minor unit the rate does not cover);
- what the customer PAYS for a fixed amount to receive is rounded UP (ROUND_UP, same reason);
- values at mid (spread, position value, revaluation) use ROUND_HALF_EVEN, unbiased over many
  deals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Context, Decimal, InvalidOperation
from fractions import Fraction

from core import errors, limits, money

SIDES = ("give", "receive")  # give: amount is what the customer hands over; receive: what they get
BP = 10_000  # basis points in one


def parse_rate(value: object, field: str = "rate") -> Decimal:
    """A rate from text or Decimal: positive, finite, bounded, at most FX_RATE_MAX_DIGITS digits."""
    if isinstance(value, float | bool) or not isinstance(value, str | Decimal | int):
        raise errors.FxInvalidRate(field=field, text=repr(value), reason="give text or Decimal")
    text = str(value).strip()
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise errors.FxInvalidRate(field=field, text=text, reason="not a number") from None
    if not rate.is_finite():
        raise errors.FxInvalidRate(field=field, text=text, reason="not a finite number")
    if rate <= 0:
        raise errors.FxInvalidRate(field=field, text=text, reason="must be greater than zero")
    if rate > limits.FX_RATE_MAX_UNITS:
        raise errors.FxInvalidRate(field=field, text=text,
                                   reason=f"above {limits.FX_RATE_MAX_UNITS}")
    rate = rate.normalize()
    if len(rate.as_tuple().digits) > limits.FX_RATE_MAX_DIGITS:
        raise errors.FxInvalidRate(field=field, text=text,
                                   reason=f"more than {limits.FX_RATE_MAX_DIGITS} digits")
    return rate


def rate_text(rate: Decimal) -> str:
    """Exact, plain (no exponent) text for storage."""
    return format(rate.normalize(), "f")


def round_rate(value: Fraction | Decimal) -> Decimal:
    """A derived rate (ECB cross via EUR) to FX_RATE_MAX_DIGITS significant digits, half-even."""
    ctx = Context(prec=limits.FX_RATE_MAX_DIGITS, rounding=ROUND_HALF_EVEN)
    if isinstance(value, Fraction):
        return ctx.divide(Decimal(value.numerator), Decimal(value.denominator)).normalize()
    return ctx.plus(value).normalize()


@dataclass(frozen=True, slots=True)
class RateTriple:
    currency: str
    buy: Decimal
    sell: Decimal
    mid: Decimal


def check_rates(currency: str, base_currency: str, buy: object, sell: object,
                mid: object | None = None) -> RateTriple:
    """Validate one currency's quote; mid defaults to the exact middle of buy and sell."""
    money.check_currency(currency)
    money.check_currency(base_currency)
    if currency == base_currency:
        raise errors.FxSameCurrency(currency=currency)
    b = parse_rate(buy, "buy")
    s = parse_rate(sell, "sell")
    if s < b:
        raise errors.FxSellBelowBuy(currency=currency, buy=rate_text(b), sell=rate_text(s))
    m = parse_rate(mid, "mid") if mid not in (None, "") else round_rate((b + s) / 2)
    if not b <= m <= s:
        raise errors.FxMidOutsideSpread(currency=currency, mid=rate_text(m), buy=rate_text(b),
                                        sell=rate_text(s))
    return RateTriple(currency, b, s, m)


@dataclass(frozen=True, slots=True)
class Quote:
    """Exact prices of one major unit of `currency` in base major units."""

    currency: str
    buy: Fraction
    sell: Fraction
    mid: Fraction

    @classmethod
    def of(cls, triple: RateTriple) -> Quote:
        return cls(triple.currency, Fraction(triple.buy), Fraction(triple.sell),
                   Fraction(triple.mid))

    @classmethod
    def base(cls, currency: str) -> Quote:
        one = Fraction(1)
        return cls(currency, one, one, one)


def with_margin(q: Quote, margin_bp: int, *, is_base: bool = False) -> Quote:
    """The branch widens both sides around the bank's rates; the mid does not move."""
    if isinstance(margin_bp, bool) or not isinstance(margin_bp, int):
        raise errors.InvalidInput(field="margin_bp", reason="a whole number of basis points")
    if not 0 <= margin_bp <= limits.FX_MAX_MARGIN_BP:
        raise errors.InvalidInput(field="margin_bp",
                                  reason=f"between 0 and {limits.FX_MAX_MARGIN_BP}")
    if is_base or margin_bp == 0:
        return q  # the base currency is worth exactly one of itself on every side
    return Quote(q.currency, q.buy * Fraction(BP - margin_bp, BP),
                 q.sell * Fraction(BP + margin_bp, BP), q.mid)


def cross_rate(give: Quote, get: Quote) -> Fraction:
    """Units of `get` the customer receives per unit of `give` (major units).

    The customer sells `give` and buys `get`: the bank BUYS `give` at its buy rate and SELLS
    `get` at its sell rate, both through the base currency.
    """
    return give.buy / get.sell


def mid_cross(give: Quote, get: Quote) -> Fraction:
    return give.mid / get.mid


def round_fraction(value: Fraction, rounding: str) -> int:
    """Round an exact value to an integer with the named mode (only the three modes we use)."""
    floor, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return floor
    if rounding == ROUND_DOWN:  # toward zero
        return floor if value >= 0 else floor + 1
    if rounding == ROUND_UP:  # away from zero
        return floor + 1 if value >= 0 else floor
    if rounding == ROUND_HALF_EVEN:
        twice = 2 * rest
        if twice < value.denominator:
            return floor
        if twice > value.denominator:
            return floor + 1
        return floor if floor % 2 == 0 else floor + 1
    raise ValueError(f"rounding mode {rounding} is not used for FX")


def to_minor(major: Fraction, currency: str, rounding: str) -> int:
    return round_fraction(major * 10 ** money.exponent(currency), rounding)


def to_major(amount_minor: int, currency: str) -> Fraction:
    return Fraction(amount_minor, 10 ** money.exponent(currency))


def base_value_minor(amount_minor: int, currency: str, mid: Fraction, base: str) -> int:
    """Value of an amount in base minor units at mid, ROUND_HALF_EVEN (valuation, not payment)."""
    return to_minor(to_major(amount_minor, currency) * mid, base, ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Conversion:
    from_currency: str
    to_currency: str
    from_amount_minor: int  # the customer gives (fee not included)
    to_amount_minor: int  # the customer receives
    customer_rate: Fraction  # to per from, major units
    mid_rate: Fraction
    spread_minor: int  # in from_currency: value given minus value received, both at mid
    from_position_minor: int  # what enters the FX position in from_currency (given - spread)


def convert(amount_minor: int, give: Quote, get: Quote, side: str) -> Conversion:
    """Price an exchange of `give` into `get`; `side` says which amount is fixed."""
    src, dst = give.currency, get.currency
    if src == dst:
        raise errors.FxSameCurrency(currency=src)
    if side not in SIDES:
        raise errors.InvalidInput(field="side", reason="give or receive")
    rate = cross_rate(give, get)
    if side == "give":
        money.check_amount_minor(amount_minor, src)
        given = amount_minor
        received = to_minor(to_major(given, src) * rate, dst, ROUND_DOWN)
        if received < 1:
            raise errors.FxAmountTooSmall(amount=money.format_minor(given, src), currency=src,
                                          target=dst)
    else:
        money.check_amount_minor(amount_minor, dst)
        received = amount_minor
        given = to_minor(to_major(received, dst) / rate, src, ROUND_UP)
    money.check_amount_minor(given, src)
    money.check_amount_minor(received, dst)
    mid = mid_cross(give, get)
    # What the paid-out amount is worth in the given currency at mid; the rest is the spread.
    received_at_mid = to_minor(to_major(received, dst) / mid, src, ROUND_HALF_EVEN)
    spread = given - received_at_mid
    assert spread >= 0, "buy <= mid <= sell and bank-favourable rounding keep the spread >= 0"
    return Conversion(src, dst, given, received, rate, mid, spread, given - spread)


def display_rate(value: Fraction, digits: int = 10) -> Decimal:
    """A rate for screens and receipts: `digits` significant digits, half-even."""
    ctx = Context(prec=digits, rounding=ROUND_HALF_EVEN)
    return ctx.divide(Decimal(value.numerator), Decimal(value.denominator)).normalize()
