"""Parsing rate files (pure): a CSV of buy/sell/mid and the ECB euro reference rates XML.

A file is taken whole or not at all: the first bad line raises FxRateFileInvalid naming it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from fractions import Fraction

from lxml import etree

from core import errors, limits, money
from core.rules import fx

GESMES_NS = "http://www.gesmes.org/xml/2002-08-01"
ECB_NS = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
# The ECB publishes around 16:00 CET (15:00 UTC in winter, 14:00 UTC in summer): a rate of
# day D is taken as effective at 15:00 UTC of D, after publication in every season.
ECB_PUBLISHED_AT = time(15, 0, tzinfo=UTC)
CSV_COLUMNS = ("currency", "buy", "sell", "mid", "effective_at")


@dataclass(frozen=True, slots=True)
class ParsedRate:
    line: int
    rates: fx.RateTriple
    effective_at: datetime | None  # None: the time of the import


def _bad(line: int, reason: str) -> errors.FxRateFileInvalid:
    return errors.FxRateFileInvalid(line=line, reason=reason)


def _check(line: int, currency: str, base: str, buy: object, sell: object,
           mid: object | None) -> fx.RateTriple:
    try:
        return fx.check_rates(currency, base, buy, sell, mid)
    except errors.DomainError as exc:
        raise _bad(line, exc.describe().rstrip(".")) from None


def _parse_when(line: int, text: str) -> datetime | None:
    """ISO date (midnight UTC) or ISO date-time; a time without zone is taken as UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0, tzinfo=UTC))
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(line, f"'{text}' is not an ISO date or time") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_csv(text: str, base_currency: str) -> list[ParsedRate]:
    """Header `currency,buy,sell[,mid][,effective_at]`; blank lines and '#' comments skipped."""
    if len(text.encode()) > limits.FX_MAX_IMPORT_BYTES:
        raise _bad(1, f"the file is larger than {limits.FX_MAX_IMPORT_BYTES} bytes")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    out: list[ParsedRate] = []
    seen: set[tuple[str, datetime | None]] = set()
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if header is None:
            header = [c.lower() for c in cells]
            if header[:3] != list(CSV_COLUMNS[:3]) or not set(header) <= set(CSV_COLUMNS) \
                    or len(set(header)) != len(header):
                raise _bad(line, "the header must be currency,buy,sell[,mid][,effective_at]")
            continue
        if len(cells) != len(header):
            raise _bad(line, f"{len(cells)} fields where the header has {len(header)}")
        rec = dict(zip(header, cells, strict=True))
        currency = rec["currency"].upper()
        triple = _check(line, currency, base_currency, rec["buy"], rec["sell"], rec.get("mid"))
        when = _parse_when(line, rec.get("effective_at", ""))
        if (currency, when) in seen:
            raise _bad(line, f"{currency} appears twice for the same time")
        seen.add((currency, when))
        out.append(ParsedRate(line, triple, when))
        if len(out) > limits.FX_MAX_IMPORT_RATES:
            raise _bad(line, f"more than {limits.FX_MAX_IMPORT_RATES} rates")
    if not out:
        raise _bad(reader.line_num or 1, "the file holds no rates")
    return out


def _ecb_days(data: bytes) -> list[tuple[int, date, list[tuple[int, str, str]]]]:
    """(line, day, [(line, currency, rate text)]) from the envelope, without judging the rates."""
    if len(data) > limits.FX_MAX_IMPORT_BYTES:
        raise _bad(1, f"the file is larger than {limits.FX_MAX_IMPORT_BYTES} bytes")
    # No entity expansion, no network, no DTD: the file comes from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _bad(exc.lineno or 1, f"not well-formed XML ({exc.msg})") from None
    if root.tag != f"{{{GESMES_NS}}}Envelope":
        raise _bad(root.sourceline or 1, "not a gesmes:Envelope of ECB reference rates")
    outer = root.find(f"{{{ECB_NS}}}Cube")
    if outer is None:
        raise _bad(root.sourceline or 1, "no Cube element")
    days = []
    for day_el in outer.findall(f"{{{ECB_NS}}}Cube"):
        line = day_el.sourceline or 0
        try:
            day = date.fromisoformat(day_el.get("time", ""))
        except ValueError:
            raise _bad(line, f"time '{day_el.get('time')}' is not a date") from None
        rates = []
        for el in day_el.findall(f"{{{ECB_NS}}}Cube"):
            currency, rate = el.get("currency"), el.get("rate")
            if not currency or rate is None:
                raise _bad(el.sourceline or line, "a Cube needs currency and rate")
            rates.append((el.sourceline or line, currency.strip().upper(), rate.strip()))
        days.append((line, day, rates))
    if not days:
        raise _bad(outer.sourceline or 1, "no Cube time=... element")
    return days


def parse_ecb(data: bytes, base_currency: str, spread_bp: int) -> list[ParsedRate]:
    """ECB rates are units of currency per EUR (mid). Our rates: base units per unit of currency.

    For base EUR: mid(c) = 1 / r(c). Otherwise through EUR: mid(c) = r(base) / r(c) and
    mid(EUR) = r(base). Buy and sell sit spread_bp/2 either side of the mid.
    """
    if not 0 <= spread_bp <= limits.FX_MAX_MARGIN_BP:
        raise errors.InvalidInput(field="spread_bp", reason=f"0 to {limits.FX_MAX_MARGIN_BP}")
    out: list[ParsedRate] = []
    for day_line, day, rates in _ecb_days(data):
        per_eur: dict[str, tuple[int, Fraction]] = {}
        for line, currency, text in rates:
            try:
                money.check_currency(currency)
                value = fx.parse_rate(text)
            except errors.DomainError as exc:
                raise _bad(line, exc.describe().rstrip(".")) from None
            if currency in per_eur or currency == "EUR":
                raise _bad(line, f"{currency} appears twice or is the euro itself")
            per_eur[currency] = (line, Fraction(value))
        if base_currency != "EUR" and base_currency not in per_eur:
            raise _bad(day_line, f"no EUR/{base_currency} rate to derive through")
        base_per_eur = Fraction(1) if base_currency == "EUR" else per_eur[base_currency][1]
        mids = {c: (ln, base_per_eur / r) for c, (ln, r) in per_eur.items() if c != base_currency}
        if base_currency != "EUR":
            mids["EUR"] = (per_eur[base_currency][0], base_per_eur)
        when = datetime.combine(day, ECB_PUBLISHED_AT)
        half = Fraction(spread_bp, 2 * fx.BP)
        for currency, (line, mid) in sorted(mids.items()):
            buy, sell = fx.round_rate(mid * (1 - half)), fx.round_rate(mid * (1 + half))
            triple = _check(line, currency, base_currency, buy, sell, fx.round_rate(mid))
            out.append(ParsedRate(line, triple, when))
        if len(out) > limits.FX_MAX_IMPORT_RATES:
            raise _bad(day_line, f"more than {limits.FX_MAX_IMPORT_RATES} rates")
    return out
