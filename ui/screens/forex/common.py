"""Small helpers of the forex screen: locale text <-> amounts and rates, ages."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from core.money import Money, parse_amount

RATE_MIN_DECIMALS = 4  # a rate shows at least this many decimals so a column lines up


def canonical_number(text: str, locale: QLocale | None = None) -> str:
    """What a user typed in their locale ('1.234,50' in de_DE) -> '1234.50' for the core."""
    loc = locale if locale is not None else QLocale()
    raw = (text or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    group, point = loc.groupSeparator(), loc.decimalPoint()
    if group and group != point:
        raw = raw.replace(group, "")
    if point != ".":
        raw = raw.replace(point, ".")
    return raw


def parse_local_amount(text: str, currency: str, locale: QLocale | None = None) -> Money:
    """Typed amount in the locale's format -> Money (InvalidAmount etc. from the core)."""
    return parse_amount(canonical_number(text, locale), currency)


def format_rate(value: Decimal | None, locale: QLocale | None = None) -> str:
    """A rate as stored, in the locale's decimal point, at least RATE_MIN_DECIMALS decimals."""
    if value is None:
        return ""
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp > -RATE_MIN_DECIMALS:
        value = value.quantize(Decimal(1).scaleb(-RATE_MIN_DECIMALS))
    loc = locale if locale is not None else QLocale()
    text = format(value, "f")
    return text.replace(".", loc.decimalPoint()) if loc.decimalPoint() != "." else text


def format_age(age_s: int) -> str:
    """Rate age for people: '45 s', '12 min', '5 h', '3 d'."""
    tr = QCoreApplication.translate
    if age_s < 60:
        return tr("forex", "%1 s").replace("%1", str(age_s))
    if age_s < 3600:
        return tr("forex", "%1 min").replace("%1", str(age_s // 60))
    if age_s < 2 * 86400:
        return tr("forex", "%1 h").replace("%1", str(age_s // 3600))
    return tr("forex", "%1 d").replace("%1", str(age_s // 86400))
