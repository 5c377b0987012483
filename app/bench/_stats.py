"""Figures shared by the benchmark scenarios: throughput, latency percentiles, peak memory."""

from __future__ import annotations

import json
import math
import resource
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PhaseResult:
    """One measured phase over all workers."""

    name: str
    transfers: int
    errors: int
    wall_s: float
    latencies_s: tuple[float, ...]

    @property
    def per_s(self) -> float:
        return self.transfers / self.wall_s if self.wall_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "transfers": self.transfers,
            "errors": self.errors,
            "wall_s": round(self.wall_s, 3),
            "transfers_per_s": round(self.per_s, 1),
            "p50_ms": round(percentile(self.latencies_s, 50) * 1000, 3),
            "p99_ms": round(percentile(self.latencies_s, 99) * 1000, 3),
        }


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def rss_peak_mb() -> dict[str, float]:
    """Peak resident set size of this process and of the largest waited-for child (Linux: KiB)."""
    scale = 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return {"self": round(own, 1), "largest_child": round(children, 1)}


def own_peak_rss_kib() -> int:
    """This process's peak RSS. Linux: VmHWM, which (unlike ru_maxrss) restarts at exec, so a
    spawned worker does not report the parent's size at fork."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib // 1024 if sys.platform == "darwin" else kib


def print_json(figures: dict[str, Any]) -> None:
    print(json.dumps(figures, sort_keys=True))


def print_table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    cells = [header] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(title)
    for n, row in enumerate(cells):
        print("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
