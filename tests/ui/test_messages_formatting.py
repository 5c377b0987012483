"""Error sentences (translated, with their parameters) and locale formatting of money and dates."""

from __future__ import annotations

import inspect
import string
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from core import errors
from ui.formatting import format_amount, format_date, format_money
from ui.messages import SENTENCES, message_for

ERROR_CLASSES = {cls.code: cls for _, cls in inspect.getmembers(errors, inspect.isclass)
                 if issubclass(cls, errors.DomainError)}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Shouting(QTranslator):
    """A stand-in for a .qm file: 'translates' the errors context to upper case."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        if context != "errors":
            return ""
        fields = {name: "{" + name + "}" for name in _fields(source)}
        upper = source.upper()
        for name in fields:
            upper = upper.replace("{" + name.upper() + "}", "{" + name + "}")
        return upper


@pytest.fixture
def shouting(qapp):
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_every_sentence_belongs_to_an_error_and_uses_its_parameters(code):
    assert code in ERROR_CLASSES, f"{code} is not the code of any DomainError"
    assert _fields(SENTENCES[code]) == _fields(ERROR_CLASSES[code].message)


def test_message_is_the_sentence_with_the_parameters(qapp):
    error = errors.InsufficientFunds(account="100-2", available="5.00", requested="9.00",
                                     currency="USD")
    assert message_for(error) == "Account 100-2 has 5.00 USD available; 9.00 USD was asked."


def test_message_goes_through_the_translator(shouting):
    error = errors.AccountFrozen(account="100-2")
    assert message_for(error) == "ACCOUNT 100-2 IS FROZEN."


def test_unknown_code_falls_back_to_the_errors_own_text(qapp):
    class Newcomer(errors.DomainError):
        code = "newcomer"
        message = "A brand new refusal about {thing}."

    assert message_for(Newcomer(thing="x")) == "A brand new refusal about x."


def test_missing_parameter_falls_back_instead_of_raising(qapp):
    error = errors.UnknownAccount(wrong="x")  # a service bug: the sentence needs {account}
    assert message_for(error) == error.describe()


@pytest.mark.parametrize(("locale", "minor", "currency", "expected"), [
    ("en_US", 123456789, "USD", "1,234,567.89"),
    ("de_DE", 123456789, "USD", "1.234.567,89"),
    ("en_US", -5, "USD", "-0.05"),
    ("en_US", 1234567, "JPY", "1,234,567"),
    ("en_US", 1234567, "BHD", "1,234.567"),
    ("en_US", 9_007_199_254_740_993, "USD", "90,071,992,547,409.93"),  # past a double's reach
    ("C", 100000, "USD", "1,000.00"),  # the C locale groups too
])
def test_amounts_in_the_locale(qapp, locale, minor, currency, expected):
    loc = QLocale.c() if locale == "C" else QLocale(locale)
    assert format_amount(minor, currency, loc) == expected


def test_money_carries_its_currency(qapp):
    assert format_money(250, "EUR", QLocale("fr_FR")) == "2,50 EUR"


def test_amount_of_an_unknown_currency_is_refused(qapp):
    with pytest.raises(errors.UnknownCurrency):
        format_amount(1, "XXZ", QLocale("en_US"))


def test_dates_have_four_digit_years(qapp):
    assert format_date(date(2026, 12, 4), QLocale("en_US")) == "12/4/2026"
    assert format_date(date(2026, 12, 4), QLocale("de_DE")) == "04.12.2026"
    assert format_date(date(2026, 12, 4), QLocale.c()) == "2026-12-04"
    assert format_date(None) == ""
