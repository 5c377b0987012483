"""Name normalisation and the pairwise name score (pure functions, no database).

normalise: non-Latin scripts -> Latin (anyascii), case, diacritics, punctuation, dotted
abbreviations ('S.A.' -> 'sa'), then honorifics, legal-form words and name particles are dropped
(only while other tokens remain, so 'Dr' alone is still a name).
score_names: tokens are aligned one-to-one whatever their order; a token pair is exact, an
initial, phonetic (same metaphone key) or a typo (Indel similarity >= TYPO_MIN). Coverage is
weighted by token length; missing or extra middle names cost little because the shorter name's
coverage counts most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import Indel

from core import errors, limits

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady madam mme mlle herr frau sr sra "
    "srta don dona sheikh shaykh sheik shaikh haji hajji hadji mullah mulla maulana maulvi "
    "mawlawi qari imam sayyid sayed syed gen general col colonel maj major capt captain lt "
    "lieutenant brig brigadier adm admiral cmdr commander sgt rev reverend fr father hon "
    "honourable honorable excellency his her jr junior snr senior ii iii".split())
LEGAL_FORMS = frozenset(
    "ltd limited llc llp lp plc inc incorporated corp corporation co company cie gmbh mbh ag kg "
    "sa sarl sas sasu srl spa sl sau bv nv oy oyj ab as asa aps pte pty pvt bhd sdn tbk jsc "
    "ojsc cjsc pjsc ooo zao oao pao tov fze fzco fzc fzllc wll est establishment kk kft zrt "
    "sro doo dd ad eood ltda cia".split())
PARTICLES = frozenset("al el ul ad ud bin ibn bint ben de del della der den van von da di du "
                      "la le the of and".split())
SINGLE_TOKEN_FACTOR = 0.8
TYPO_MIN = 0.8  # Indel similarity below this is not a typo, just a different token
_ABBREV_DOT = re.compile(r"(?<=\b[a-z])\.(?=[a-z]\b)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    text = anyascii(name).lower()
    text = text.replace("'", "").replace("`", "")
    text = _ABBREV_DOT.sub("", text)
    raw = _NON_ALNUM.sub(" ", text).split()
    kept = raw
    for drop in (HONORIFICS, LEGAL_FORMS, PARTICLES):
        rest = [t for t in kept if t not in drop]
        if rest:
            kept = rest
    return tuple(kept)


def raw_initials(name: str) -> frozenset[str]:
    """First letters of every word, titles and particles included ('Haji' stands for H.)."""
    text = _NON_ALNUM.sub(" ", anyascii(name).lower().replace("'", ""))
    return frozenset(w[0] for w in text.split())


def check_query(name: str) -> tuple[str, ...]:
    """The tokens of a name to screen, or InvalidScreeningName (nothing is stored then)."""
    if not isinstance(name, str) or not name.strip():
        raise errors.InvalidScreeningName(reason="is empty")
    if len(name) > limits.MAX_SCREEN_NAME_CHARS:
        raise errors.InvalidScreeningName(
            reason=f"is {len(name)} characters long; at most {limits.MAX_SCREEN_NAME_CHARS}")
    toks = tokens(name)
    if not toks or not any(ch.isalpha() for ch in "".join(toks)):
        raise errors.InvalidScreeningName(reason="has no letters")
    return toks


def normalise(name: str) -> str:
    return " ".join(tokens(name))


# Spellings that transliteration produces for one sound (Cyrillic kh/dzh/ts, Arabic kh/dh).
_SOUNDS = (("dzh", "j"), ("kh", "h"), ("zh", "j"), ("ts", "c"), ("dh", "d"), ("ks", "x"),
           ("ph", "f"), ("w", "v"), ("q", "k"))


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    if len(token) < 3 or token.isdigit():
        return token
    for a, b in _SOUNDS:
        token = token.replace(a, b)
    return jellyfish.metaphone(token)


def weight(token: str) -> int:
    return min(len(token), 8)


@dataclass(frozen=True, slots=True)
class TokenMatch:
    query: str
    listed: str
    how: str  # exact | initial | phonetic | typo
    similarity: float


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    matches: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


def token_similarity(q: str, c: str, qp: str, cp: str) -> tuple[float, str]:
    if q == c:
        return 1.0, "exact"
    if len(q) == 1 or len(c) == 1:
        return (0.9, "initial") if q[0] == c[0] else (0.0, "")
    sim = Indel.normalized_similarity(q, c)
    if len(q) >= 3 and len(c) >= 3 and qp == cp and qp:
        return max(0.7 + 0.3 * sim, sim), "phonetic"  # same sound, spelled further apart
    if sim >= TYPO_MIN and min(len(q), len(c)) >= 4:
        return sim, "typo"
    return 0.0, ""


SimCache = dict[tuple[str, str], tuple[float, str]]


def _pair_order(p: tuple[float, int, int, str]) -> tuple[float, int, int]:
    return (-p[0], p[1], p[2])


def align(q: tuple[str, ...], qp: tuple[str, ...], c: tuple[str, ...], cp: tuple[str, ...],
          cache: SimCache | None = None) -> tuple[float, list[tuple[float, int, int, str]]]:
    """The name score and the one-to-one token pairs (similarity, query pos, listed pos, how).

    cache: token-pair similarities shared across the candidates of one query (the same common
    tokens meet again and again)."""
    pairs = []
    for i, qt in enumerate(q):
        qpi = qp[i]
        for j, ct in enumerate(c):
            if cache is None:
                sim, how = token_similarity(qt, ct, qpi, cp[j])
            else:
                found = cache.get((qt, ct))
                if found is None:
                    found = cache[(qt, ct)] = token_similarity(qt, ct, qpi, cp[j])
                sim, how = found
            if sim > 0:
                pairs.append((sim, i, j, how))
    if not pairs:
        return 0.0, []
    if len(pairs) > 1:
        pairs.sort(key=_pair_order)
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen = []
    got_q = got_c = 0.0
    for sim, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        chosen.append((sim, i, j, how))
        got_q += sim * weight(q[i])
        got_c += sim * weight(c[j])
    cov_q = got_q / sum(weight(t) for t in q)
    cov_c = got_c / sum(weight(t) for t in c)
    short, long_ = (cov_q, cov_c) if len(q) <= len(c) else (cov_c, cov_q)
    score = 0.85 * short + 0.15 * long_
    if min(len(q), len(c)) == 1 and max(len(q), len(c)) > 1:
        score *= SINGLE_TOKEN_FACTOR  # one token alone matching a longer name is weak evidence
    if len(chosen) == 1 and chosen[0][3] == "initial":
        score = 0.0
    return round(score, 4), chosen


def score_names(q: tuple[str, ...], qp: tuple[str, ...],
                c: tuple[str, ...], cp: tuple[str, ...]) -> NameScore:
    """Score two tokenised names (with their phonetic keys) in 0..1, with the explanation."""
    score, chosen = align(q, qp, c, cp)
    used_q = {i for _, i, _, _ in chosen}
    used_c = {j for _, _, j, _ in chosen}
    return NameScore(score, tuple(TokenMatch(q[i], c[j], how, round(sim, 3))
                                  for sim, i, j, how in chosen),
                     tuple(t for i, t in enumerate(q) if i not in used_q),
                     tuple(t for j, t in enumerate(c) if j not in used_c))
