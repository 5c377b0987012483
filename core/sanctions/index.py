"""In-memory candidate index over the names of the active list versions (pure, no database).

Blocking: every token of every listed name is posted under its exact form, its metaphone key
and (for longer tokens) its first and last four letters, so a candidate is found through any
token that matches exactly, sounds the same or differs by a typo at one end. A name becomes a
candidate when it shares keys with at least two query tokens (one when either name has a single
token); only candidates are scored, never the whole list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from core import limits
from core.sanctions.names import (
    SINGLE_TOKEN_FACTOR,
    NameScore,
    SimCache,
    align,
    check_query,
    phonetic,
    raw_initials,
    score_names,
    tokens,
)

KIND_TYPES = {"person": frozenset({"person"}),
              "organisation": frozenset({"entity", "vessel", "aircraft"}),
              "entity": frozenset({"entity", "vessel", "aircraft"})}


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    entry_id: int
    list_code: str
    external_id: str
    entry_type: str
    primary_name: str
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    content_hash: str


@dataclass(frozen=True, slots=True)
class Match:
    entry: IndexedEntry
    matched_name: str
    name_kind: str
    score: float
    explanation: dict[str, Any] = field(hash=False, compare=False)


def block_keys(token: str) -> list[str]:
    """Exact, phonetic, and one-deletion keys (symmetric delete: any single edit or swap of
    two letters leaves a shared key) plus the four-letter ends for longer tokens."""
    if len(token) < 2:
        return []
    keys = ["t:" + token]
    if len(token) >= 3:
        keys.append("m:" + phonetic(token))
    if len(token) >= 4:
        keys += ["d:" + token[:i] + token[i + 1:] for i in range(len(token))]
        keys.append("d:" + token)
    if len(token) >= 6:
        keys += ["p:" + token[:4], "s:" + token[-4:]]
    return keys


def evidence(entry: IndexedEntry, birth_date: date | None,
             country: str | None) -> tuple[float, list[dict[str, str]]]:
    """Score adjustment from date of birth and nationality/country, with the reasons."""
    delta, notes = 0.0, []
    if birth_date is not None and entry.birth_dates:
        iso = birth_date.isoformat()
        years = {int(d[:4]) for d in entry.birth_dates}
        if iso in entry.birth_dates:
            delta += 0.05
            notes.append({"evidence": "birth_date", "effect": "supports", "detail": iso})
        elif birth_date.year in years:
            delta += 0.03
            notes.append({"evidence": "birth_date", "effect": "supports",
                          "detail": f"birth year {birth_date.year}"})
        elif min(abs(birth_date.year - y) for y in years) > 1:
            delta -= 0.15
            notes.append({"evidence": "birth_date", "effect": "excludes",
                          "detail": f"listed {', '.join(sorted(entry.birth_dates)[:5])}"})
    if country and entry.countries:
        if country.upper() in entry.countries:
            delta += 0.02
            notes.append({"evidence": "country", "effect": "supports", "detail": country.upper()})
        else:
            delta -= 0.05
            notes.append({"evidence": "country", "effect": "weakens",
                          "detail": f"listed {', '.join(sorted(entry.countries)[:5])}"})
    return delta, notes


class NameIndex:
    def __init__(self, entries: list[IndexedEntry], names: list[tuple[int, str, str]]) -> None:
        """entries; names = (position in entries, name as listed, kind primary|aka|weak)."""
        self.entries = entries
        self.display: list[str] = []
        self.kinds: list[str] = []
        self.owner: list[int] = []
        self.toks: list[tuple[str, ...]] = []
        self.phon: list[tuple[str, ...]] = []
        postings: dict[str, list[int]] = {}
        for pos, name, kind in names:
            toks = tokens(name)
            if not toks:
                continue
            nid = len(self.toks)
            self.display.append(name)
            self.kinds.append(kind)
            self.owner.append(pos)
            self.toks.append(toks)
            self.phon.append(tuple(phonetic(t) for t in toks))
            for key in {k for t in toks for k in block_keys(t)}:
                postings.setdefault(key, []).append(nid)
        self.postings = {k: tuple(v) for k, v in postings.items()}
        self._token_cache: dict[str, frozenset[int]] = {}
        self.firsts = [raw_initials(n) for n in self.display]
        self.single = frozenset(n for n, t in enumerate(self.toks) if len(t) == 1)

    def _token_ids(self, token: str) -> frozenset[int]:
        """Names reachable from one query token; cached because customers' tokens repeat."""
        ids = self._token_cache.get(token)
        if ids is None:
            found: set[int] = set()
            for key in block_keys(token):
                found.update(self.postings.get(key, ()))
            ids = frozenset(found)
            if len(self._token_cache) >= limits.SANCTIONS_TOKEN_CACHE_SIZE:
                self._token_cache.clear()  # bounded; refills with the tokens in use
            self._token_cache[token] = ids
        return ids

    @property
    def name_count(self) -> int:
        return len(self.toks)

    def candidates(self, q: tuple[str, ...], threshold: float = 0.0) -> list[int]:
        sets = [self._token_ids(t) for t in sorted({t for t in q if len(t) > 1})]
        if not sets:
            return []
        if len(q) == 1 and threshold > SINGLE_TOKEN_FACTOR:
            sets = [sets[0] & self.single]  # one token reaches the threshold only against one
        # at least two shared tokens, and half of a long query's tokens (capped by the
        # candidate's own length so short listed names stay reachable)
        need = max(min(2, len(sets)), (len(sets) + 1) // 2)
        found: set[int] | frozenset[int] = set()
        if need == 1:
            found = sets[0]
        elif need == 2:  # set intersections run in C: the common case stays fast
            pairs: set[int] = set()
            for i, a in enumerate(sets):
                pairs |= a & self.single
                for b in sets[i + 1:]:
                    pairs |= a & b
            found = pairs
        else:
            counts = Counter(chain.from_iterable(sets))
            found = {n for n, c in counts.items() if c >= min(need, len(self.toks[n]))}
        initials = {t for t in q if len(t) == 1}
        if initials:  # a query initial must stand for some token of the listed name
            found = {n for n in found if initials <= self.firsts[n]}
        if len(found) > limits.MAX_CANDIDATES_PER_QUERY:
            return sorted(found)[: limits.MAX_CANDIDATES_PER_QUERY]
        return list(found)

    def search(self, name: str, *, birth_date: date | None = None, country: str | None = None,
               kind: str | None = None, threshold: float = limits.SANCTIONS_MATCH_THRESHOLD,
               limit: int = limits.MAX_HITS_PER_SCREEN) -> list[Match]:
        q = check_query(name)
        qp = tuple(phonetic(t) for t in q)
        allowed = KIND_TYPES.get(kind or "")
        best: dict[int, tuple[float, int]] = {}
        cache: SimCache = {}
        seen: dict[tuple[str, ...], float] = {}  # aliases often repeat a name's tokens
        for nid in self.candidates(q, threshold):
            pos = self.owner[nid]
            if allowed is not None and self.entries[pos].entry_type not in allowed:
                continue
            toks = self.toks[nid]
            name_score = seen.get(toks, -1.0)
            if name_score < 0:
                name_score = seen[toks] = align(q, qp, toks, self.phon[nid], cache)[0]
            if name_score > 0 and (pos not in best or name_score > best[pos][0]):
                best[pos] = (name_score, nid)
        out = []
        for pos, (name_score, nid) in best.items():
            entry = self.entries[pos]
            delta, notes = evidence(entry, birth_date, country)
            score = round(max(0.0, min(1.0, name_score + delta)), 4)
            if score < threshold:
                continue
            ns = score_names(q, qp, self.toks[nid], self.phon[nid])
            out.append(Match(entry, self.display[nid], self.kinds[nid], score,
                             _explain(name, q, ns, self.display[nid], self.kinds[nid],
                                      notes, threshold, score)))
        out.sort(key=lambda m: (-m.score, m.entry.list_code, m.entry.external_id))
        return out[:limit]


def _explain(query: str, q: tuple[str, ...], ns: NameScore, listed: str, kind: str,
             notes: list[dict[str, str]], threshold: float, score: float) -> dict[str, Any]:
    return {
        "query": query, "query_normalised": " ".join(q), "listed_name": listed,
        "listed_name_kind": kind, "name_score": ns.score, "score": score,
        "threshold": threshold,
        "tokens": [{"query": m.query, "listed": m.listed, "how": m.how,
                    "similarity": m.similarity} for m in ns.matches],
        "unmatched_query_tokens": list(ns.unmatched_query),
        "unmatched_listed_tokens": list(ns.unmatched_listed),
        "evidence": notes,
    }
