"""Money as integer minor units. Decimal only at the edges (parse, format, rates); never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from iso4217 import Currency

from core import errors, limits

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# Digits with an optional single '.' decimal separator and optional ',' or ' ' digit grouping.
# Digits of the largest minor amount we ever convert exactly (int64 has 19).
_MAX_MINOR_DIGITS = 18
_AMOUNT_RE = re.compile(r"^[+-]?(\d{1,3}([, ]\d{3})+|\d+)?(\.\d*)?$")


@lru_cache(maxsize=512)
def exponent(currency: str) -> int:
    """Minor-unit exponent from the ISO 4217 table (JPY 0, USD 2, BHD 3)."""
    if not isinstance(currency, str) or not _CURRENCY_RE.match(currency):
        raise errors.UnknownCurrency(currency=str(currency))
    try:
        found = Currency(currency)
    except ValueError:
        raise errors.UnknownCurrency(currency=currency) from None
    exp = found.exponent
    if exp is None:  # funds codes such as XAU have no minor unit: not money we post
        raise errors.UnknownCurrency(currency=currency)
    return int(exp)


def check_currency(currency: str) -> str:
    exponent(currency)
    return currency


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise TypeError("amount_minor must be an int")
        exponent(self.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise errors.CurrencyMismatch(
                account="-", account_currency=self.currency, currency=other.currency
            )

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-exponent(self.currency))

    def __str__(self) -> str:
        return f"{format_minor(self.amount_minor, self.currency)} {self.currency}"


def to_minor(value: Decimal, currency: str, *, text: str | None = None) -> int:
    """Exact conversion; refuses anything that needs rounding."""
    exp = exponent(currency)
    shown = text if text is not None else str(value)
    if not value.is_finite():
        raise errors.NonFiniteAmount(text=shown)
    if value and value.adjusted() + exp > _MAX_MINOR_DIGITS:
        # Far beyond any amount (Decimal('1E+1000000')): refuse before scaleb overflows or
        # int() builds a huge number; the sign decides which refusal a user sees.
        short = shown if len(shown) <= 32 else shown[:29] + "..."
        if value.is_signed():
            raise errors.NonPositiveAmount(amount=short)
        maximum = format_minor(limits.MAX_AMOUNT_MINOR, currency)
        raise errors.AmountTooLarge(amount=short, currency=currency, maximum=maximum)
    scaled = value.scaleb(exp)
    if scaled != scaled.to_integral_value():
        raise errors.TooPreciseAmount(currency=currency, exponent=exp, text=shown)
    return int(scaled)


def round_to_minor(value: Decimal, currency: str, rounding: str = ROUND_HALF_EVEN) -> int:
    """Rounding at an FX or fee edge; the caller names the mode."""
    exp = exponent(currency)
    if not value.is_finite():
        raise errors.NonFiniteAmount(text=str(value))
    return int(value.scaleb(exp).quantize(Decimal(1), rounding=rounding))


def parse_amount(text: str, currency: str) -> Money:
    """Parse what a user typed ('1,234.50') into a positive, bounded Money."""
    exponent(currency)
    raw = (text or "").strip()
    if raw.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
        raise errors.NonFiniteAmount(text=raw)
    if not raw or not _AMOUNT_RE.match(raw) or raw in {".", "+", "-", "+.", "-."}:
        raise errors.InvalidAmount(text=raw)
    try:
        value = Decimal(raw.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise errors.InvalidAmount(text=raw) from None
    minor = to_minor(value, currency, text=raw)
    return Money(check_amount_minor(minor, currency), currency)


def money_from_decimal(value: Decimal | int | str, currency: str) -> Money:
    """Programmatic amounts (CLI, API): same checks as typed input; float is refused."""
    if isinstance(value, float):
        raise TypeError("float is not accepted for money; pass Decimal or str")
    if isinstance(value, bool):  # an int subclass: True would silently mean 1
        raise errors.InvalidAmount(text=repr(value))
    if isinstance(value, str):
        return parse_amount(value, currency)
    dec = Decimal(value)
    minor = to_minor(dec, currency)
    return Money(check_amount_minor(minor, currency), currency)


def check_amount_minor(amount_minor: int, currency: str) -> int:
    """A movement amount: an int, positive, at most the named maximum."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise errors.InvalidAmount(text=repr(amount_minor))
    if amount_minor <= 0:
        raise errors.NonPositiveAmount(amount=format_minor(amount_minor, currency))
    if amount_minor > limits.MAX_AMOUNT_MINOR:
        raise errors.AmountTooLarge(
            amount=format_minor(amount_minor, currency),
            currency=currency,
            maximum=format_minor(limits.MAX_AMOUNT_MINOR, currency),
        )
    return amount_minor


def format_minor(amount_minor: int, currency: str, *, grouping: bool = True) -> str:
    exp = exponent(currency)
    dec = Decimal(amount_minor).scaleb(-exp)
    return f"{dec:,.{exp}f}" if grouping else f"{dec:.{exp}f}"
