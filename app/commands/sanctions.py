"""`cbs sanctions import|screen|rescreen` (the benchmark is `cbs bench screening`)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from app.commands.common import add_url, context_of
from core import errors
from core.services import sanctions, sanctions_batch, sanctions_import
from core.services.authz import SYSTEM


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sanctions", help="sanctions lists and screening")
    ssub = p.add_subparsers(dest="sanctions_command", required=True)
    imp = ssub.add_parser("import", help="import a list file as a new version")
    add_url(imp)
    imp.add_argument("files", nargs="+", help="OFAC sdn.csv (alt/add beside it) or the three "
                     "files; UN or EU XML; internal watchlist CSV")
    imp.add_argument("--list", choices=("ofac", "un", "eu", "internal"), dest="list_code")
    imp.add_argument("--no-rescreen", action="store_true",
                     help="do not re-screen the customers now (the run stays resumable)")
    imp.set_defaults(func=_import)
    scr = ssub.add_parser("screen", help="screen a name against the active lists (exit status "
                          "0: no hit, 1: hits printed, 2: refused input)")
    add_url(scr)
    scr.add_argument("name")
    scr.add_argument("--birth-date", type=date.fromisoformat)
    scr.add_argument("--country")
    scr.add_argument("--kind", choices=("person", "organisation"))
    scr.add_argument("--threshold", type=float)
    scr.add_argument("--json", action="store_true")
    scr.set_defaults(func=_screen)
    rs = ssub.add_parser("rescreen", help="re-screen all customers (resumes a stopped run)")
    add_url(rs)
    rs.set_defaults(func=_rescreen)


def _progress(stage: str, done: int, total: int) -> None:
    tail = f"/{total}" if total else ""
    print(f"\r{stage}: {done}{tail}", end="", file=sys.stderr, flush=True)


def _import(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    try:
        r = ctx.run(sanctions_import.import_list, SYSTEM, files=args.files,
                    list_code=args.list_code, progress=_progress)
    except errors.DomainError as exc:
        print(file=sys.stderr)
        code = args.list_code or _guess(args.files)
        ctx.run(sanctions_import.record_rejection, SYSTEM, files=args.files, list_code=code,
                reason=exc.describe())
        raise
    print(file=sys.stderr)
    print(f"{r.list_code}: version {r.version_id} active, {r.entry_count} entries, "
          f"{r.name_count} names; added {r.added}, removed {r.removed}, changed {r.changed}, "
          f"unchanged {r.unchanged} (previous version {r.previous_version_id or '-'})")
    if r.rescreen_run_id and not args.no_rescreen:
        _run_rescreen(ctx, f"{r.list_code} version {r.version_id} activated")
    return 0


def _guess(files: list[str]) -> str | None:
    from pathlib import Path

    from core.sanctions.parsers.detect import detect

    try:
        return detect(Path(files[0]))
    except (errors.DomainError, OSError):
        return None


def _run_rescreen(ctx, reason: str) -> None:  # type: ignore[no-untyped-def]
    def show(run) -> None:  # type: ignore[no-untyped-def]
        _progress("re-screen customers", run.processed, run.total_customers)

    run = sanctions_batch.rescreen_all(ctx, SYSTEM, reason=reason, progress=show)
    print(file=sys.stderr)
    print(f"re-screen run {run.run_id}: {run.processed} customers, {run.hits_found} new hits")


def _rescreen(args: argparse.Namespace) -> int:
    _run_rescreen(context_of(args), "manual re-screen")
    return 0


def _screen(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    hits = ctx.run(sanctions.screen_party, SYSTEM, name=args.name, birth_date=args.birth_date,
                   country=args.country, kind=args.kind, threshold=args.threshold)
    if args.json:
        print(json.dumps([{"list": h.list_code, "entry": h.external_id, "type": h.entry_type,
                           "primary_name": h.primary_name, "matched_name": h.matched_name,
                           "score": h.score, "explanation": h.explanation} for h in hits],
                         ensure_ascii=False, indent=2, default=str))
    elif not hits:
        print("no hits")
    for h in [] if args.json else hits:
        how = ", ".join(f"{t['query']}~{t['listed']} ({t['how']})"
                        for t in h.explanation["tokens"])
        ev = "; ".join(f"{e['evidence']} {e['effect']} ({e['detail']})"
                       for e in h.explanation["evidence"])
        print(f"{h.score:.3f}  {h.list_code.upper()} {h.external_id}  {h.matched_name}"
              f"  [{h.entry_type}: {h.primary_name}]\n        tokens: {how}"
              + (f"\n        evidence: {ev}" if ev else ""))
    return 1 if hits else 0
