"""Build tests/data/sanctions_screening_set.csv: variants of real OFAC/UN entries + ordinary names.

Run from the project root:  python tests/data/build_screening_set.py [../shared/data/sanctions]
Variant kinds: exact, reordered, transliterated (rendered in Cyrillic), misspelled (one edit),
no_middle (first and last name only), initials (first name as an initial), title (an honorific
or a legal form added); 'none' rows are ordinary names that are not on either list.
Deterministic (seeded), so the committed file can be rebuilt byte for byte.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.bench._ordinary_names import FIRST, LAST  # noqa: E402
from core.sanctions.names import tokens  # noqa: E402
from core.sanctions.parsers import ofac, un  # noqa: E402

OUT = Path(__file__).with_name("sanctions_screening_set.csv")
PER_LIST = {"ofac": 220, "un": 80}
# Latin -> Cyrillic the way a clerk would write a foreign name by ear (c is k or s by context).
CYRILLIC = dict(zip("abvgdezijklmnoprstufh", "абвгдезийклмнопрстуфх", strict=True)) | {
    "y": "и", "w": "в", "q": "к", "x": "кс", "sh": "ш", "ch": "ч", "kh": "х", "zh": "ж",
    "ts": "ц", "ya": "я", "yu": "ю", "ck": "к", "ph": "ф", "th": "т", "ee": "и", "oo": "у",
    "ce": "се", "ci": "си", "cy": "си", "c": "к", "j": "дж", "ye": "е", "yo": "ё"}
def cyrillic(text: str) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(low):
        two = low[i:i + 2]
        if two in CYRILLIC and len(two) == 2:
            out.append(CYRILLIC[two])
            i += 2
            continue
        out.append(CYRILLIC.get(low[i], low[i]))
        i += 1
    return "".join(out).title()


def person_parts(name: str) -> tuple[list[str], list[str]]:
    """OFAC 'LAST, First Middle' or UN 'FIRST SECOND ...' as (given names, surnames)."""
    if "," in name:
        last, first = name.split(",", 1)
        return first.split(), last.split()
    parts = name.split()
    return parts[:-1], parts[-1:]


def misspell(rng: random.Random, name: str) -> str:
    words = name.replace(",", "").split()
    idx = [i for i, w in enumerate(words) if len(w) >= 5]
    if not idx:
        return ""
    i = rng.choice(idx)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    op = rng.choice(("swap", "drop", "double", "vowel"))
    if op == "swap":
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    elif op == "drop":
        w = w[:p] + w[p + 1:]
    elif op == "double":
        w = w[:p] + w[p] + w[p:]
    else:
        vowels = "aeiou"
        w = w[:p] + rng.choice([v for v in vowels if v != w[p].lower()]) + w[p + 1:]
    words[i] = w
    return " ".join(words)


def variants(rng: random.Random, e: ofac.ParsedEntry) -> list[tuple[str, str]]:
    name = e.primary_name
    plain = name.replace(",", "")
    out = [("exact", name), ("misspelled", misspell(rng, name)),
           ("transliterated", cyrillic(plain))]
    words = plain.split()
    if len(words) >= 2:
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        out.append(("reordered", " ".join(shuffled)))
    if e.entry_type == "person":
        given, surnames = person_parts(name)
        if len(given) >= 2:
            out.append(("no_middle", f"{given[0]} {' '.join(surnames)}"))
        if given and surnames:
            out.append(("initials", f"{given[0][0]}. {' '.join(given[1:])} {' '.join(surnames)}"))
        out.append(("title", f"{rng.choice(('Dr.', 'Mr', 'Sheikh', 'Gen.', 'Mrs.'))} {plain}"))
    else:
        out.append(("title", f"{plain} {rng.choice(('LTD', 'LLC', 'GmbH', 'S.A.', 'Co.'))}"))
    return [(k, q) for k, q in out if q.strip()]


def main(data: Path) -> None:
    rng = random.Random(20261204)
    lists = {"ofac": ofac.parse(data / "ofac/sdn.csv", data / "ofac/alt.csv",
                                data / "ofac/add.csv"),
             "un": un.parse(data / "un/UN_consolidated.xml")}
    listed = {" ".join(sorted(tokens(n))) for es in lists.values() for e in es
              for n in [e.primary_name, *(a for a, _ in e.aliases)]}
    rows = []
    for code, entries in lists.items():
        pool = [e for e in entries if e.entry_type in ("person", "entity")
                and len(tokens(e.primary_name)) >= 2]
        for e in rng.sample(pool, PER_LIST[code]):
            rows += [(kind, q, code, e.external_id, e.primary_name) for kind, q in
                     variants(rng, e)]
    ordinary: set[str] = set()
    while len(ordinary) < 1000:
        n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if " ".join(sorted(tokens(n))) not in listed:
            ordinary.add(n)
    rows += [("none", n, "", "", "") for n in sorted(ordinary)]
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["variant", "query", "expected_list", "expected_id", "source_name"])
        w.writerows(rows)
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/sanctions")
