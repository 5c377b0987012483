"""Benchmark scenarios for `cbs bench <name>`: one module per scenario, found by name.

A scenario module (not starting with "_") defines HELP (one line), add_arguments(parser) and
run(args) -> exit code. Helpers shared by scenarios live in modules starting with "_".
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def scenario_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")
