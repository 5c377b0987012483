"""Teller rules as data: fees per transaction kind and currency, per-role limits.

Fees are a flat part plus a percentage of the amount, clamped to a minimum and maximum and
rounded with a named mode; the fee goes to the branch's fee income GL in the same entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from core import money

KINDS = ("deposit", "withdrawal", "transfer")


@dataclass(frozen=True, slots=True)
class FeeRule:
    flat_minor: int = 0
    percent: Decimal = Decimal(0)  # of the amount, e.g. Decimal("0.10") = 0.10 %
    min_minor: int = 0
    max_minor: int | None = None
    rounding: str = ROUND_HALF_UP  # named: every rounding says its mode

    def describe(self, currency: str) -> str:
        parts = []
        if self.flat_minor:
            parts.append(f"{money.format_minor(self.flat_minor, currency)} {currency}")
        if self.percent:
            parts.append(f"{self.percent.normalize()} %")
        text = " + ".join(parts) or "free"
        if self.min_minor:
            text += f", min {money.format_minor(self.min_minor, currency)}"
        if self.max_minor is not None:
            text += f", max {money.format_minor(self.max_minor, currency)}"
        return text


FREE = FeeRule()

FEE_RULES: dict[tuple[str, str], FeeRule] = {
    ("withdrawal", "USD"): FeeRule(percent=Decimal("0.10"), min_minor=100, max_minor=2_500),
    ("withdrawal", "EUR"): FeeRule(percent=Decimal("0.10"), min_minor=100, max_minor=2_500),
    ("withdrawal", "GBP"): FeeRule(percent=Decimal("0.10"), min_minor=100, max_minor=2_000),
    ("withdrawal", "JPY"): FeeRule(flat_minor=110, rounding=ROUND_UP),
    ("withdrawal", "BHD"): FeeRule(flat_minor=250, percent=Decimal("0.05")),
    ("transfer", "USD"): FeeRule(flat_minor=50),
    ("transfer", "EUR"): FeeRule(flat_minor=50),
    ("transfer", "GBP"): FeeRule(flat_minor=50),
    ("transfer", "BHD"): FeeRule(flat_minor=200),
}


def fee_rule(kind: str, currency: str) -> FeeRule:
    return FEE_RULES.get((kind, currency), FREE)


def fee_minor(kind: str, amount_minor: int, currency: str) -> int:
    rule = fee_rule(kind, currency)
    variable = Decimal(amount_minor) * rule.percent / Decimal(100)
    fee = rule.flat_minor + int(variable.quantize(Decimal(1), rounding=rule.rounding))
    fee = max(fee, rule.min_minor)
    if rule.max_minor is not None:
        fee = min(fee, rule.max_minor)
    return fee


# Per-role limits per transaction kind and currency, in minor units; above: supervisor override.
ROLE_LIMITS_MINOR: dict[str, dict[str, dict[str, int]]] = {
    "teller": {
        "deposit": {"USD": 1_000_000, "EUR": 1_000_000, "GBP": 800_000, "JPY": 1_500_000,
                    "BHD": 4_000_000},
        "withdrawal": {"USD": 500_000, "EUR": 500_000, "GBP": 400_000, "JPY": 750_000,
                       "BHD": 2_000_000},
        "transfer": {"USD": 1_000_000, "EUR": 1_000_000, "GBP": 800_000, "JPY": 1_500_000,
                     "BHD": 4_000_000},
    },
    "head_teller": {
        "deposit": {"USD": 5_000_000, "EUR": 5_000_000, "GBP": 4_000_000, "JPY": 7_500_000,
                    "BHD": 20_000_000},
        "withdrawal": {"USD": 2_500_000, "EUR": 2_500_000, "GBP": 2_000_000, "JPY": 3_750_000,
                       "BHD": 10_000_000},
        "transfer": {"USD": 5_000_000, "EUR": 5_000_000, "GBP": 4_000_000, "JPY": 7_500_000,
                     "BHD": 20_000_000},
    },
}


def role_limit_minor(role: str, kind: str, currency: str) -> int | None:
    """The role's own limit; None means unlimited (system), 0 means always needs an override."""
    if role == "system":
        return None
    return ROLE_LIMITS_MINOR.get(role, {}).get(kind, {}).get(currency, 0)


def needs_override(role: str, kind: str, amount_minor: int, currency: str) -> bool:
    limit = role_limit_minor(role, kind, currency)
    return limit is not None and amount_minor > limit


def mask_account(number: str, shown: int = 4) -> str:
    """Receipts and screens show only the last digits of an account number."""
    if len(number) <= shown:
        return number
    return "*" * (len(number) - shown) + number[-shown:]
