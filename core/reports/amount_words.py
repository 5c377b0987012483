"""Amounts in English words for receipts and cheques: 'One thousand two hundred five and 50/100'."""

from __future__ import annotations

from core import money

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _below_thousand(n: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(f"{_ONES[hundreds]} hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES[rest])
    return " ".join(words)


def integer_words(n: int) -> str:
    if n < 0:
        raise ValueError("negative amounts are not written in words")
    if n == 0:
        return "zero"
    parts = []
    for scale, name in _SCALES:
        if n >= scale:
            count, n = divmod(n, scale)
            parts.append(f"{integer_words(count)} {name}")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def amount_words(amount_minor: int, currency: str) -> str:
    """Major units in words, minor units as a fraction (none for a currency like JPY)."""
    exp = money.exponent(currency)
    major, minor = divmod(amount_minor, 10**exp) if exp else (amount_minor, 0)
    text = integer_words(major)
    text = text[0].upper() + text[1:]
    if exp:
        text += f" and {minor:0{exp}d}/{10**exp}"
    return f"{text} {currency}"
