"""A hit as people read it: customer and list entry side by side, and why the names matched.

Pure functions from the DTOs to small HTML documents for a QTextBrowser; every value from the
database is escaped. Texts are translated in context "sanctions".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from core.sanctions.dto import HitDetailDTO, HitDTO
from ui.formatting import format_date, format_datetime

CONTEXT = "sanctions"
MAX_LISTED_VALUES = 12  # an entry may list dozens of aliases: show these, then "and N more"

LIST_TITLES = {
    "ofac": QT_TRANSLATE_NOOP("sanctions", "OFAC SDN"),
    "un": QT_TRANSLATE_NOOP("sanctions", "UN Security Council"),
    "eu": QT_TRANSLATE_NOOP("sanctions", "EU consolidated"),
    "internal": QT_TRANSLATE_NOOP("sanctions", "Internal watchlist"),
}
SHORT_STATUS_TITLES = {  # the table column: the detail pane says it in full
    "pending_clear": QT_TRANSLATE_NOOP("sanctions", "Pending approval"),
}
STATUS_TITLES = {
    "open": QT_TRANSLATE_NOOP("sanctions", "Open"),
    "pending_clear": QT_TRANSLATE_NOOP("sanctions", "Clearing pending approval"),
    "true_match": QT_TRANSLATE_NOOP("sanctions", "True match"),
    "false_positive": QT_TRANSLATE_NOOP("sanctions", "False positive"),
    "active": QT_TRANSLATE_NOOP("sanctions", "Active"),
    "superseded": QT_TRANSLATE_NOOP("sanctions", "Superseded"),
    "rejected": QT_TRANSLATE_NOOP("sanctions", "Rejected"),
    "importing": QT_TRANSLATE_NOOP("sanctions", "Importing"),
}
DECISION_TITLES = {  # inside a sentence
    "true_match": QT_TRANSLATE_NOOP("sanctions", "a true match"),
    "false_positive": QT_TRANSLATE_NOOP("sanctions", "a false positive"),
}
HOW_TITLES = {
    "exact": QT_TRANSLATE_NOOP("sanctions", "same word"),
    "phonetic": QT_TRANSLATE_NOOP("sanctions", "sounds alike"),
    "typo": QT_TRANSLATE_NOOP("sanctions", "spelled differently"),
    "initial": QT_TRANSLATE_NOOP("sanctions", "initial"),
}
EVIDENCE_TITLES = {
    "birth_date": QT_TRANSLATE_NOOP("sanctions", "Date of birth"),
    "country": QT_TRANSLATE_NOOP("sanctions", "Country"),
}
EFFECT_TITLES = {
    "supports": QT_TRANSLATE_NOOP("sanctions", "supports the match"),
    "weakens": QT_TRANSLATE_NOOP("sanctions", "weakens the match"),
    "excludes": QT_TRANSLATE_NOOP("sanctions", "speaks against the match"),
}
NAME_KIND_TITLES = {
    "primary": QT_TRANSLATE_NOOP("sanctions", "primary name"),
    "aka": QT_TRANSLATE_NOOP("sanctions", "alias (a.k.a.)"),
    "weak": QT_TRANSLATE_NOOP("sanctions", "weak alias"),
}
KIND_TITLES = {
    "person": QT_TRANSLATE_NOOP("sanctions", "Person"),
    "individual": QT_TRANSLATE_NOOP("sanctions", "Person"),
    "organisation": QT_TRANSLATE_NOOP("sanctions", "Organisation"),
    "entity": QT_TRANSLATE_NOOP("sanctions", "Organisation"),
    "vessel": QT_TRANSLATE_NOOP("sanctions", "Vessel"),
    "aircraft": QT_TRANSLATE_NOOP("sanctions", "Aircraft"),
}


def tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def title_of(table: dict[str, str], value: str | None) -> str:
    if value is None:
        return ""
    source = table.get(value)
    return tr(source) if source else value


def count_text(n: int) -> str:
    """A count with the locale's digit grouping (always grouped, as amounts are)."""
    loc = QLocale()
    loc.setNumberOptions(loc.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return loc.toString(int(n))


def percent(score: float) -> str:
    return f"{score * 100:.0f}%"


def _cell(values: Iterable[str]) -> str:
    shown = [v for v in values if v]
    if not shown:
        return "<span class='none'>—</span>"
    extra = len(shown) - MAX_LISTED_VALUES
    text = "<br>".join(escape(v) for v in shown[:MAX_LISTED_VALUES])
    if extra > 0:
        text += "<br><i>" + escape(tr("and %1 more").replace("%1", str(extra))) + "</i>"
    return text


def _list_and_version(d: HitDetailDTO) -> str:
    text = title_of(LIST_TITLES, d.entry.list_code) + " · " + d.entry.external_id
    if d.list_version_id is not None:
        version = tr("version %1").replace("%1", str(d.list_version_id))
        text += f" · {version} ({title_of(STATUS_TITLES, d.list_version_status)})"
    return text


def comparison_html(d: HitDetailDTO) -> str:
    """Customer | list entry, one row per kind of fact, for the officer to compare."""
    e = d.entry
    other_names = [n for n in e.names if n != e.primary_name]
    rows: Sequence[tuple[str, str, str]] = (
        (tr("Name"), _cell([d.hit.customer_name]), _cell([e.primary_name])),
        (tr("Other names"), _cell([]), _cell(other_names)),
        (tr("Type"), _cell([title_of(KIND_TITLES, d.customer_kind)]),
         _cell([title_of(KIND_TITLES, e.entry_type)])),
        (tr("Birth date"), _cell([format_date(d.customer_born_on)]), _cell(e.birth_dates)),
        (tr("Country"), _cell([d.customer_country or ""]), _cell(e.countries)),
        (tr("Identifiers"), _cell([d.customer_national_id or ""]), _cell(e.identifiers)),
        (tr("Programs"), _cell([]), _cell(e.programs)),
        (tr("Record"), _cell([tr("Customer no. %1").replace("%1", d.customer_no)]),
         _cell([_list_and_version(d)])),
        (tr("Remarks"), _cell([]), _cell([e.remarks])),
    )
    head = (f"<tr><th></th><th>{escape(tr('Customer'))}</th>"
            f"<th>{escape(tr('List entry'))}</th></tr>")
    body = "".join(f"<tr><td class='label'>{escape(label)}</td><td>{left}</td><td>{right}</td>"
                   f"</tr>" for label, left, right in rows)
    return f"{_STYLE}<table class='compare' width='100%'>{head}{body}</table>"


def _tokens(tokens: list[dict[str, Any]]) -> str:
    if not tokens:
        return ""
    rows = "".join(
        f"<tr><td>{escape(str(t.get('query', '')))}</td><td>→</td>"
        f"<td>{escape(str(t.get('listed', '')))}</td>"
        f"<td>{escape(title_of(HOW_TITLES, str(t.get('how', ''))))}</td>"
        f"<td align='right'>{percent(float(t.get('similarity', 0)))}</td></tr>"
        for t in tokens)
    head = (f"<tr><th>{escape(tr('Customer'))}</th><th></th>"
            f"<th>{escape(tr('Listed'))}</th><th>{escape(tr('How'))}</th>"
            f"<th align='right'>{escape(tr('Similarity'))}</th></tr>")
    return f"<table class='tokens'>{head}{rows}</table>"


def _evidence(notes: list[dict[str, Any]]) -> str:
    if not notes:
        return f"<p>{escape(tr('No date of birth or country to compare.'))}</p>"
    items = "".join(
        f"<li><b>{escape(title_of(EVIDENCE_TITLES, str(n.get('evidence'))))}</b> "
        f"{escape(title_of(EFFECT_TITLES, str(n.get('effect'))))}: "
        f"{escape(str(n.get('detail', '')))}</li>" for n in notes)
    return f"<ul>{items}</ul>"


def explanation_html(hit: HitDTO) -> str:
    """Why this is a hit: the listed name that matched, word by word, and the evidence."""
    x = hit.explanation
    listed = str(x.get("listed_name", hit.matched_name))
    kind = title_of(NAME_KIND_TITLES, x.get("listed_name_kind"))
    parts = [_STYLE,
             f"<p><span class='score'>{escape(tr('Score'))} <b>{percent(hit.score)}</b></span>"
             f"<br>{escape(tr('name alone'))} {percent(float(x.get('name_score', 0)))}"
             f" &nbsp;·&nbsp; {escape(tr('threshold'))} {percent(float(x.get('threshold', 0)))}"
             "</p>",
             f"<p>{escape(tr('Customer name'))}: <b>{escape(str(x.get('query', '')))}</b><br>"
             f"{escape(tr('Matched listed name'))}: <b>{escape(listed)}</b>"
             + (f" ({escape(kind)})" if kind else "") + "</p>",
             _tokens(list(x.get("tokens", [])))]
    unmatched = [(tr("Customer words without a match"), x.get("unmatched_query_tokens")),
                 (tr("Listed words without a match"), x.get("unmatched_listed_tokens"))]
    for label, words in unmatched:
        if words:
            parts.append(f"<p>{escape(label)}: {escape(', '.join(map(str, words)))}</p>")
    parts.append(f"<h4>{escape(tr('Evidence'))}</h4>{_evidence(list(x.get('evidence', [])))}")
    return "".join(parts)


def decision_html(hit: HitDTO) -> str:
    """Who decided what and why (empty for an open hit never sent back)."""
    lines = []
    if hit.status == "pending_clear" and hit.requested_by:
        lines.append(tr("%1 asked to clear this hit as a false positive; a second person must "
                        "approve.").replace("%1", hit.requested_by))
    elif hit.decided_by:
        lines.append(tr("Decided by %2 on %3: %1.")
                     .replace("%1", title_of(DECISION_TITLES, hit.status))
                     .replace("%2", hit.decided_by)
                     .replace("%3", format_datetime(hit.decided_at)))
    if hit.reason:
        lines.append(tr("Reason: %1").replace("%1", hit.reason))
    return "<br>".join(escape(line) for line in lines)


_STYLE = """<style>
table.compare { border-collapse: collapse; }
table.compare th { text-align: left; padding: 4px 10px 6px 0; border-bottom: 1px solid #9aa3b2; }
table.compare td { padding: 4px 10px 4px 0; vertical-align: top; }
td.label { font-weight: 600; white-space: nowrap; }
span.none { color: #8a93a3; }
table.tokens th { text-align: left; padding: 2px 12px 2px 0; white-space: nowrap; }
table.tokens td { padding: 2px 12px 2px 0; white-space: nowrap; }
span.score { font-size: 12pt; }
h4 { margin: 8px 0 2px 0; }
</style>"""
