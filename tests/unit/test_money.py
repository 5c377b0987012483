"""Money at the edges: parse, convert and format with ISO 4217 exponents; bad input refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import errors, limits
from core.money import Money, exponent, format_minor, money_from_decimal, parse_amount

CURRENCIES = [("JPY", 0), ("USD", 2), ("BHD", 3)]


@pytest.mark.parametrize("currency,exp", CURRENCIES)
def test_exponent_from_iso4217(currency, exp):
    assert exponent(currency) == exp


@pytest.mark.parametrize("currency,text,minor", [
    ("JPY", "1234", 1234),
    ("JPY", "1,234", 1234),
    ("JPY", "1234.", 1234),
    ("USD", "1234.5", 123_450),
    ("USD", "1,234.56", 123_456),
    ("USD", "12 345.60", 1_234_560),
    ("USD", "0.01", 1),
    ("USD", ".5", 50),
    ("USD", "  7  ", 700),
    ("USD", "+3.10", 310),
    ("BHD", "1.234", 1234),
    ("BHD", "0.001", 1),
    ("BHD", "1,000.5", 1_000_500),
])
def test_parse_amount(currency, text, minor):
    assert parse_amount(text, currency) == Money(minor, currency)


@pytest.mark.parametrize("currency,value,minor", [
    ("JPY", Decimal("500"), 500),
    ("JPY", 500, 500),
    ("JPY", Decimal("500.000"), 500),  # trailing zeros are not extra precision
    ("USD", Decimal("12.34"), 1234),
    ("USD", "12.34", 1234),
    ("USD", 12, 1200),
    ("BHD", Decimal("0.125"), 125),
    ("BHD", "2", 2000),
])
def test_money_from_decimal(currency, value, minor):
    assert money_from_decimal(value, currency) == Money(minor, currency)


@pytest.mark.parametrize("currency,minor,text,plain", [
    ("JPY", 1_234_567, "1,234,567", "1234567"),
    ("JPY", -5, "-5", "-5"),
    ("USD", 123_456_789, "1,234,567.89", "1234567.89"),
    ("USD", 5, "0.05", "0.05"),
    ("USD", -150, "-1.50", "-1.50"),
    ("BHD", 1_234_567, "1,234.567", "1234.567"),
    ("BHD", 1, "0.001", "0.001"),
])
def test_format_minor(currency, minor, text, plain):
    assert format_minor(minor, currency) == text
    assert format_minor(minor, currency, grouping=False) == plain


@pytest.mark.parametrize("currency,minor", [
    ("JPY", 1), ("JPY", 987_654_321), ("USD", 1), ("USD", 10_000_001),
    ("BHD", 999), ("BHD", limits.MAX_AMOUNT_MINOR),
])
def test_format_then_parse_round_trips(currency, minor):
    assert parse_amount(format_minor(minor, currency), currency).amount_minor == minor
    assert parse_amount(format_minor(minor, currency, grouping=False), currency).amount_minor == minor


def test_str_shows_amount_and_currency():
    assert str(Money(123_456, "USD")) == "1,234.56 USD"
    assert str(Money(1000, "JPY")) == "1,000 JPY"


TOO_LARGE_USD = format_minor(limits.MAX_AMOUNT_MINOR + 1, "USD", grouping=False)


@pytest.mark.parametrize("text,currency,error", [
    ("abc", "USD", errors.InvalidAmount),
    ("12a", "USD", errors.InvalidAmount),
    ("1e5", "USD", errors.InvalidAmount),
    ("", "USD", errors.InvalidAmount),
    ("   ", "USD", errors.InvalidAmount),
    (".", "USD", errors.InvalidAmount),
    ("-", "USD", errors.InvalidAmount),
    ("1.2.3", "USD", errors.InvalidAmount),
    ("12,34", "USD", errors.InvalidAmount),  # grouping must be by thousands
    ("1.5", "JPY", errors.TooPreciseAmount),
    ("1.234", "USD", errors.TooPreciseAmount),
    ("0.0001", "BHD", errors.TooPreciseAmount),
    ("NaN", "USD", errors.NonFiniteAmount),
    ("nan", "BHD", errors.NonFiniteAmount),
    ("inf", "USD", errors.NonFiniteAmount),
    ("-Infinity", "USD", errors.NonFiniteAmount),
    ("+Infinity", "USD", errors.NonFiniteAmount),
    ("-5", "USD", errors.NonPositiveAmount),
    ("-0.01", "USD", errors.NonPositiveAmount),
    ("0", "JPY", errors.NonPositiveAmount),
    ("0.000", "BHD", errors.NonPositiveAmount),
    ("-0", "USD", errors.NonPositiveAmount),
    (TOO_LARGE_USD, "USD", errors.AmountTooLarge),
    ("9" * 40, "JPY", errors.AmountTooLarge),
    ("10", "XXZ", errors.UnknownCurrency),
    ("10", "usd", errors.UnknownCurrency),
    ("10", "XAU", errors.UnknownCurrency),  # no minor unit: not money we post
])
def test_parse_amount_refuses(text, currency, error):
    with pytest.raises(error) as info:
        parse_amount(text, currency)
    assert type(info.value) is error  # the precise error, not a neighbour
    assert info.value.code and info.value.describe()


def test_maximum_itself_is_accepted():
    assert parse_amount(format_minor(limits.MAX_AMOUNT_MINOR, "JPY"), "JPY").amount_minor == \
        limits.MAX_AMOUNT_MINOR


@pytest.mark.parametrize("value,currency,error", [
    (Decimal("NaN"), "USD", errors.NonFiniteAmount),
    (Decimal("sNaN"), "USD", errors.NonFiniteAmount),
    (Decimal("Infinity"), "JPY", errors.NonFiniteAmount),
    (Decimal("-Infinity"), "BHD", errors.NonFiniteAmount),
    (Decimal("0.5"), "JPY", errors.TooPreciseAmount),
    (Decimal("0.001"), "USD", errors.TooPreciseAmount),
    (Decimal("1E-1000000"), "USD", errors.TooPreciseAmount),
    (Decimal("1.0001"), "BHD", errors.TooPreciseAmount),
    (Decimal("-1"), "USD", errors.NonPositiveAmount),
    (0, "USD", errors.NonPositiveAmount),
    (Decimal("0"), "BHD", errors.NonPositiveAmount),
    (limits.MAX_AMOUNT_MINOR + 1, "JPY", errors.AmountTooLarge),
    (Decimal("1E+30"), "USD", errors.AmountTooLarge),
    # Far beyond any amount: refused at once, not by building a million-digit integer.
    (Decimal("1E+1000000"), "USD", errors.AmountTooLarge),
    (Decimal("-1E+1000000"), "USD", errors.NonPositiveAmount),
    ("abc", "USD", errors.InvalidAmount),
    (True, "USD", errors.InvalidAmount),
    (Decimal("1"), "ZZZ", errors.UnknownCurrency),
])
def test_money_from_decimal_refuses(value, currency, error):
    with pytest.raises(error) as info:
        money_from_decimal(value, currency)
    assert type(info.value) is error
    assert len(info.value.describe()) < 300  # a message a person can read


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), float("inf")])
def test_float_is_refused(value):
    with pytest.raises(TypeError, match="float"):
        money_from_decimal(value, "USD")


def test_money_holds_only_ints():
    with pytest.raises(TypeError):
        Money(1.0, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "USD")  # type: ignore[arg-type]
    with pytest.raises(errors.UnknownCurrency):
        Money(1, "ABC")


def test_money_arithmetic_refuses_mixed_currencies():
    assert Money(150, "USD") + Money(50, "USD") == Money(200, "USD")
    assert Money(150, "USD") - Money(200, "USD") == Money(-50, "USD")
    assert -Money(5, "JPY") == Money(-5, "JPY")
    with pytest.raises(errors.CurrencyMismatch):
        Money(1, "USD") + Money(1, "EUR")
