"""Pure ledger rules: line validation, balancing, request fingerprints, reversals."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass

from core import errors, limits, money

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_REF_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass(frozen=True, slots=True)
class Line:
    """One posting request: debit-positive amount on an account (by id) in a currency."""

    account_id: int
    amount_minor: int
    currency: str


def check_idempotency_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise errors.InvalidIdempotencyKey(maximum=limits.MAX_IDEMPOTENCY_KEY_CHARS)
    return key


def new_reference(prefix: str = "E") -> str:
    """A short, unambiguous reference for receipts (80 random bits)."""
    n = secrets.randbits(80)
    chars = []
    for _ in range(16):
        n, r = divmod(n, 32)
        chars.append(_REF_ALPHABET[r])
    return prefix + "".join(chars)


def validate_lines(lines: list[Line]) -> None:
    """Each line a non-zero bounded int in a known currency; debits equal credits per currency."""
    if len(lines) < 2:
        raise errors.InvalidEntry(reason="an entry needs at least two lines")
    if len(lines) > limits.MAX_ENTRY_LINES:
        raise errors.InvalidEntry(reason=f"more than {limits.MAX_ENTRY_LINES} lines")
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        money.exponent(line.currency)
        amount = line.amount_minor
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise errors.InvalidAmount(text=repr(amount))
        if amount == 0:
            raise errors.NonPositiveAmount(amount="0")
        money.check_amount_minor(abs(amount), line.currency)
        totals[line.currency] += amount
    for currency, diff in sorted(totals.items()):
        if diff != 0:
            raise errors.UnbalancedEntry(
                currency=currency, difference=money.format_minor(diff, currency)
            )


def net_by_account(lines: list[Line]) -> dict[int, int]:
    """Net debit-positive movement per account, in account-id order (the lock order)."""
    net: dict[int, int] = defaultdict(int)
    for line in lines:
        net[line.account_id] += line.amount_minor
    return dict(sorted(net.items()))


def request_hash(kind: str, lines: list[Line], memo: str, extra: dict[str, object]) -> bytes:
    """Fingerprint of what was asked: a retry must match it to be served the first result."""
    body = {
        "kind": kind,
        "lines": sorted((ln.account_id, ln.amount_minor, ln.currency) for ln in lines),
        "memo": memo,
        "extra": extra,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).digest()


def reversal_lines(lines: list[Line]) -> list[Line]:
    """The exact mirror of an entry: every posting with its sign flipped."""
    return [Line(ln.account_id, -ln.amount_minor, ln.currency) for ln in lines]


def natural_delta(amount_minor: int, normal_sign: int) -> int:
    """How a debit-positive amount moves a balance kept on the account's natural side."""
    return amount_minor * normal_sign


def normal_sign_for(gl_type: str) -> int:
    if gl_type in ("asset", "expense"):
        return 1
    if gl_type in ("liability", "equity", "income"):
        return -1
    raise errors.InvalidInput(field="gl_type", reason=f"unknown type {gl_type!r}")
