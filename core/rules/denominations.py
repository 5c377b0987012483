"""Cash denominations per currency, in minor units (pure data for counts and blind closes)."""

from __future__ import annotations

from core import errors, money

# Notes and coins in circulation for the demo currencies, largest first.
DENOMINATIONS_MINOR: dict[str, tuple[int, ...]] = {
    "USD": (10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 25, 10, 5, 1),
    "EUR": (50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "JPY": (10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10, 5, 1),
    "BHD": (20_000, 10_000, 5_000, 1_000, 500, 100, 50, 25, 10, 5),
}

MAX_PIECES_PER_DENOMINATION = 1_000_000  # a count beyond this is a typo, not a drawer


def denominations(currency: str) -> tuple[int, ...]:
    money.check_currency(currency)
    found = DENOMINATIONS_MINOR.get(currency)
    if found is None:
        raise errors.UnknownDenomination(currency=currency, denomination="*")
    return found


def total_of(currency: str, counts: dict[int, int]) -> int:
    """Validate one currency's count {denomination_minor: pieces} and return its value."""
    allowed = set(denominations(currency))
    total = 0
    for denom, pieces in counts.items():
        if isinstance(denom, bool) or not isinstance(denom, int) or denom not in allowed:
            raise errors.UnknownDenomination(currency=currency, denomination=str(denom))
        if isinstance(pieces, bool) or not isinstance(pieces, int):
            raise errors.InvalidCount(currency=currency, denomination=denom, count=repr(pieces))
        if pieces < 0 or pieces > MAX_PIECES_PER_DENOMINATION:
            raise errors.InvalidCount(currency=currency, denomination=denom, count=pieces)
        total += denom * pieces
    return total


def totals_of(counted: dict[str, dict[int, int]]) -> dict[str, int]:
    """Every currency of a count, validated; currency -> value in minor units."""
    return {cur: total_of(cur, counts) for cur, counts in sorted(counted.items())}
