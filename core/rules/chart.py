"""The standard chart of GL accounts every branch gets, per currency it handles."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GlTemplate:
    code: str
    name: str
    gl_type: str
    is_hot: bool = False  # many tellers post to it at once: balance kept in shards
    enforce_floor: bool = False


STANDARD_CHART: tuple[GlTemplate, ...] = (
    GlTemplate("1000", "Vault cash", "asset", is_hot=True),
    GlTemplate("1010", "Teller cash in transit", "asset"),
    GlTemplate("1200", "Nostro and correspondent accounts", "asset"),
    GlTemplate("1500", "Loans to customers", "asset"),
    GlTemplate("2000", "Customer deposits control", "liability"),
    GlTemplate("2100", "Suspense", "liability"),
    GlTemplate("3000", "Share capital", "equity"),
    GlTemplate("3100", "Retained earnings", "equity"),
    GlTemplate("3900", "FX position", "equity", is_hot=True),
    # Base-currency counterpart of the revalued foreign positions (end-of-day revaluation only).
    GlTemplate("3910", "FX position revaluation", "equity"),
    GlTemplate("4000", "Fee and commission income", "income", is_hot=True),
    GlTemplate("4100", "Interest income", "income"),
    GlTemplate("4200", "FX spread income", "income", is_hot=True),
    GlTemplate("4300", "FX revaluation gain/loss (unrealised)", "income"),
    GlTemplate("5000", "Interest expense", "expense"),
    GlTemplate("5100", "Cash over and short", "expense"),
    GlTemplate("5200", "Operating expense", "expense"),
)

BY_CODE = {t.code: t for t in STANDARD_CHART}


def gl_number(branch_code: str, gl_code: str, currency: str) -> str:
    return f"GL-{branch_code}-{gl_code}-{currency}"


def luhn_digit(digits: str) -> str:
    """Check digit so a mistyped account number is caught before a lookup."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and len(number) > 1 and luhn_digit(number[:-1]) == number[-1]
