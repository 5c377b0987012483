"""Money and dates for people: in the user's locale (QLocale), from int minor units, no float.

QLocale.toString(float) would round large balances through a double; instead the integer part
goes through QLocale's integer grouping and the minor digits are appended with the locale's
decimal point and digits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

from core.money import exponent


def _locale(locale: QLocale | None) -> QLocale:
    return locale if locale is not None else QLocale()


def _is_c(locale: QLocale) -> bool:
    """The "C" locale (LANG unset): no grouping and odd dates; amounts get grouped anyway."""
    return locale.language() == QLocale.Language.C


def _local_digits(text: str, locale: QLocale) -> str:
    zero = locale.zeroDigit()
    if zero == "0" or len(zero) != 1:
        return text
    return "".join(chr(ord(zero) + int(ch)) if ch.isdigit() else ch for ch in text)


def format_amount(amount_minor: int, currency: str, locale: QLocale | None = None) -> str:
    """1234567 USD -> '12,345.67' (en_US), '12.345,67' (de_DE); JPY has no decimals."""
    loc = QLocale(_locale(locale))
    # Digit grouping always: a teller must read 1,000,000.00 at a glance (C omits it).
    loc.setNumberOptions(loc.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    exp = exponent(currency)
    major, minor = divmod(abs(amount_minor), 10**exp)
    text = loc.toString(major)  # Python int -> qlonglong: exact, grouped
    if exp:
        text += loc.decimalPoint() + _local_digits(f"{minor:0{exp}d}", loc)
    return loc.negativeSign() + text if amount_minor < 0 else text


def format_money(amount_minor: int, currency: str, locale: QLocale | None = None) -> str:
    """The amount followed by its ISO code: '12,345.67 USD'."""
    return f"{format_amount(amount_minor, currency, locale)} {currency}"


def _four_digit_year(fmt: str) -> str:
    """The locale's short format, but never a two-digit year in a bank's records."""
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def format_date(value: date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return ""
    loc = _locale(locale)
    if _is_c(loc):
        return value.isoformat()
    fmt = _four_digit_year(loc.dateFormat(QLocale.FormatType.ShortFormat))
    return loc.toString(QDate(value.year, value.month, value.day), fmt)


def format_datetime(value: datetime | None, locale: QLocale | None = None) -> str:
    """A UTC timestamp shown in the workstation's local time."""
    if value is None:
        return ""
    utc = value if value.tzinfo else value.replace(tzinfo=UTC)
    utc = utc.astimezone(UTC)
    qdt = QDateTime(QDate(utc.year, utc.month, utc.day),
                    QTime(utc.hour, utc.minute, utc.second), QTimeZone.utc())
    loc = _locale(locale)
    if _is_c(loc):
        return loc.toString(qdt.toLocalTime(), "yyyy-MM-dd HH:mm")
    fmt = _four_digit_year(loc.dateTimeFormat(QLocale.FormatType.ShortFormat))
    return loc.toString(qdt.toLocalTime(), fmt)
