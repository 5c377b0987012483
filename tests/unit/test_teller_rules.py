"""Pure teller rules: fees with named rounding, limits, denominations, amounts in words."""

from __future__ import annotations

import pytest

from core import errors
from core.reports.amount_words import amount_words, integer_words
from core.rules import denominations, teller


def test_fee_percent_with_min_and_max():
    assert teller.fee_minor("withdrawal", 10_000, "USD") == 100  # 0.10 % of 100.00 < min 1.00
    assert teller.fee_minor("withdrawal", 600_000, "USD") == 600
    assert teller.fee_minor("withdrawal", 100_000_000, "USD") == 2_500  # capped
    assert teller.fee_minor("withdrawal", 1_234_567, "BHD") == 250 + 617  # 617.2835 half-up
    assert teller.fee_minor("deposit", 5_000, "USD") == 0
    assert "0.1 %" in teller.fee_rule("withdrawal", "USD").describe("USD")


def test_role_limits():
    assert not teller.needs_override("teller", "withdrawal", 500_000, "USD")
    assert teller.needs_override("teller", "withdrawal", 500_001, "USD")
    assert not teller.needs_override("head_teller", "withdrawal", 500_001, "USD")
    assert teller.needs_override("clerk", "deposit", 1, "USD")  # no limit: always approve
    assert not teller.needs_override("system", "deposit", 10**12, "USD")


def test_denominations_and_counts():
    assert denominations.total_of("USD", {10_000: 3, 25: 4}) == 30_100
    assert denominations.total_of("JPY", {10_000: 1, 1: 7}) == 10_007
    with pytest.raises(errors.InvalidCount):
        denominations.total_of("USD", {100: -1})
    with pytest.raises(errors.UnknownDenomination):
        denominations.total_of("GBP", {300: 1})
    with pytest.raises(errors.UnknownDenomination):
        denominations.denominations("CHF")
    assert set(denominations.DENOMINATIONS_MINOR) == {"USD", "EUR", "GBP", "JPY", "BHD"}


@pytest.mark.parametrize("n,words", [
    (0, "zero"), (13, "thirteen"), (40, "forty"), (99, "ninety-nine"), (100, "one hundred"),
    (1_001, "one thousand one"), (215_000_017, "two hundred fifteen million seventeen"),
])
def test_integer_words(n, words):
    assert integer_words(n) == words


def test_amount_words_per_exponent():
    assert amount_words(123_450, "USD") == "One thousand two hundred thirty-four and 50/100 USD"
    assert amount_words(1_500, "JPY") == "One thousand five hundred JPY"
    assert amount_words(1_005, "BHD") == "One and 005/1000 BHD"


def test_mask_account():
    assert teller.mask_account("12345678901") == "*******8901"
    assert teller.mask_account("123") == "123"
