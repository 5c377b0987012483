"""Amounts typed at the teller desk in the locale's format, parsed by core.money."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from core import errors
from ui.formatting import format_amount
from ui.screens.teller.calls import parse_typed_amount


@pytest.mark.parametrize(("locale", "typed", "minor"), [
    ("en_US", "1,234.50", 123_450), ("en_US", "1234.5", 123_450), ("en_US", "7", 700),
    ("de_DE", "1.234,50", 123_450), ("de_DE", "1234,5", 123_450),
    ("fr_FR", "1\u202f234,50", 123_450), ("fr_FR", "1 234,50", 123_450),
])
def test_typed_in_the_locale(locale: str, typed: str, minor: int) -> None:
    loc = QLocale(locale)
    assert parse_typed_amount(typed, "USD", loc) == minor
    assert parse_typed_amount(format_amount(minor, "USD", loc), "USD", loc) == minor


@pytest.mark.parametrize(("typed", "error"), [
    ("12abc", errors.InvalidAmount), ("", errors.InvalidAmount), ("-5", errors.DomainError),
    ("0", errors.DomainError), ("1.005", errors.TooPreciseAmount),
])
def test_bad_amounts_are_refused(typed: str, error: type) -> None:
    with pytest.raises(error):
        parse_typed_amount(typed, "USD", QLocale("en_US"))


def test_yen_has_no_decimals() -> None:
    assert parse_typed_amount("1,500", "JPY", QLocale("en_US")) == 1_500
    with pytest.raises(errors.TooPreciseAmount):
        parse_typed_amount("1,500.5", "JPY", QLocale("en_US"))
