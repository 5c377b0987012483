"""Streaming XML with lxml iterparse: element-at-fault errors, no entity expansion, no network."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from core.sanctions.parsers.common import ParsedEntry, Progress, fail, read_bytes


def iter_elements(path: Path, root_tag: str, tags: set[str]) -> Iterator[etree._Element]:
    """Yield each complete element whose tag is in tags; check the root element is root_tag."""
    read_bytes(path)  # empty / missing / too large
    context = etree.iterparse(str(path), events=("start", "end"), resolve_entities=False,
                              no_network=True, huge_tree=False, remove_comments=True)
    seen_root = False
    try:
        for event, el in context:
            if not seen_root:
                seen_root = True
                if el.tag != root_tag:
                    raise fail(path, f"line {el.sourceline}",
                               f"root element <{local(el.tag)}> where <{local(root_tag)}> was "
                               "expected (wrong list type?)")
                continue
            if event == "end" and el.tag in tags:
                yield el
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise fail(path, f"line {line}", f"malformed XML ({exc.msg})") from exc


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_entries(path: Path, root_tag: str, tags: tuple[str, ...],
                  entry: Callable[[etree._Element, Path], ParsedEntry], *, id_name: str,
                  list_name: str, progress: Progress | None) -> list[ParsedEntry]:
    """Every entry element of an XML list, each id once; an empty list is a bad file."""
    out: list[ParsedEntry] = []
    seen: set[str] = set()
    for el in iter_elements(path, root_tag, set(tags)):
        e = entry(el, path)
        if e.external_id in seen:
            raise fail(path, f"line {el.sourceline}", f"{id_name} {e.external_id} appears twice")
        seen.add(e.external_id)
        out.append(e)
        if progress and len(out) % 200 == 0:
            progress(f"parse {list_name} XML", len(out), 0)
    if not out:
        root = root_tag.rsplit("}", 1)[-1]
        names = " or ".join(t.rsplit("}", 1)[-1] for t in tags)
        raise fail(path, f"<{root}>", f"no {names} elements")
    return out
