"""Forex screen parts without a bank: amounts and rates in the locale."""

from __future__ import annotations

from decimal import Decimal


def test_amounts_and_rates_in_the_locale():
    from PySide6.QtCore import QLocale

    from ui.screens.forex.common import format_age, format_rate, parse_local_amount

    de, us = QLocale(QLocale.Language.German, QLocale.Country.Germany), \
        QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert parse_local_amount("1.234,5", "EUR", de).amount_minor == 123_450
    assert parse_local_amount("1,234.5", "EUR", us).amount_minor == 123_450
    assert parse_local_amount("1.234", "BHD", us).amount_minor == 1_234
    assert parse_local_amount("12.345", "JPY", de).amount_minor == 12_345
    assert format_rate(Decimal("1.1"), de) == "1,1000"
    assert format_rate(Decimal("0.006633"), us) == "0.006633"
    assert [format_age(s) for s in (5, 600, 7200, 3 * 86400)] == ["5 s", "10 min", "2 h", "3 d"]

