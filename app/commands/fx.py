"""`cbs fx import-rates|rates|position|revalue`: FX batch and back-office work.

Runs as the SYSTEM actor (batch work on the operator's own database, like end of day).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.commands.common import add_url, context_of
from core import errors, limits
from core.money import format_minor
from core.services import calendar, fx, fx_revaluation
from core.services.authz import SYSTEM


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("fx", help="foreign exchange: rates, position, revaluation")
    fxsub = p.add_subparsers(dest="fx_command", required=True)
    imp = fxsub.add_parser("import-rates", help="import a rate file (CSV or ECB XML)")
    add_url(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=("csv", "ecb"),
                     help="default: ecb for .xml files, csv otherwise")
    imp.add_argument("--spread-bp", type=int, default=limits.FX_DEFAULT_IMPORT_SPREAD_BP,
                     help="ECB only: buy/sell spread around the reference mid, basis points")
    imp.set_defaults(func=_import)
    rates = fxsub.add_parser("rates", help="the rates in force")
    add_url(rates)
    rates.set_defaults(func=_rates)
    pos = fxsub.add_parser("position", help="FX position per currency at the mid in force")
    add_url(pos)
    pos.add_argument("--branch-id", type=int, help="one branch (default: the whole bank)")
    pos.set_defaults(func=_position)
    rv = fxsub.add_parser("revalue", help="revalue FX positions at the closing mid")
    add_url(rv)
    rv.add_argument("--date", type=date.fromisoformat,
                    help="business date YYYY-MM-DD (default: the current one)")
    rv.set_defaults(func=_revalue)


def _import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise errors.InvalidInput(field="file", reason=f"{path} is not a file")
    if path.stat().st_size > limits.FX_MAX_IMPORT_BYTES:
        raise errors.InvalidInput(field="file",
                                  reason=f"larger than {limits.FX_MAX_IMPORT_BYTES} bytes")
    kind = args.format or ("ecb" if path.suffix.lower() == ".xml" else "csv")
    ctx = context_of(args)
    if kind == "ecb":
        result = ctx.run(fx.import_ecb_xml, SYSTEM, data=path.read_bytes(),
                         spread_bp=args.spread_bp)
    else:
        result = ctx.run(fx.import_rates_csv, SYSTEM, text=path.read_text(encoding="utf-8"))
    print(f"{result.import_ref}: {result.rates_stored} rates stored, "
          f"{result.rates_activated} now in force ({', '.join(result.currencies)})")
    return 0


def _rates(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    print(f"{'ccy':<4} {'buy':>16} {'sell':>16} {'mid':>16}  effective (UTC)       source")
    for r in ctx.read(fx.current_rates, SYSTEM):
        print(f"{r.currency:<4} {r.buy:>16} {r.sell:>16} {r.mid:>16}  "
              f"{r.effective_at:%Y-%m-%d %H:%M}      {r.source}")
    return 0


def _position(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    rows = ctx.read(fx_revaluation.position, SYSTEM, branch_id=args.branch_id)
    base = ctx.read(calendar.base_currency, SYSTEM)
    print(f"{'ccy':<4} {'position':>20} {'mid':>16} {'value ' + base:>20} "
          f"{'unrealised ' + base:>20}")
    for p in rows:
        value = "-" if p.value_base_minor is None else format_minor(p.value_base_minor, base)
        unreal = "-" if p.unrealised_base_minor is None else \
            format_minor(p.unrealised_base_minor, base)
        print(f"{p.currency:<4} {format_minor(p.position_minor, p.currency):>20} "
              f"{str(p.mid_rate or '-'):>16} {value:>20} {unreal:>20}")
    return 0


def _revalue(args: argparse.Namespace) -> int:
    ctx = context_of(args)
    run = ctx.run(fx_revaluation.revalue, SYSTEM, business_date=args.date)
    if run.replayed:
        print(f"{run.business_date} was already revalued (run {run.run_id}); nothing posted")
    for ln in run.lines:
        print(f"branch {ln.branch_id} {ln.currency}: position "
              f"{format_minor(ln.position_minor, ln.currency)} at {ln.mid_rate} -> "
              f"{format_minor(ln.amount_base_minor, run.base_currency)} {run.base_currency}")
    print(f"revaluation of {run.business_date}: {len(run.lines)} positions")
    return 0
