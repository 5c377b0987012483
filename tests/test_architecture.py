"""The dependency rule, checked on the source: core knows no Qt, ui knows no SQL; no float money.

Every .py file of core/, ui/ and app/ is parsed (nothing is imported), so a forbidden import is
found even in a module no test loads.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "core": ("PySide6", "shiboken6", "ui", "app"),
    "ui": ("sqlalchemy", "core.models"),
}

# Modules of core that may call float(): measurements (latencies, scores), never amounts.
# Add a module here only with a comment saying why it is not money.
FLOAT_ALLOWED: frozenset[str] = frozenset()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> Iterator[str]:
    """Every module an import statement of `source` names, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from core import models` imports core.models
            yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def violations(source: str, module: str, forbidden: tuple[str, ...], *,
               is_package: bool = False) -> list[str]:
    found = []
    for name in imported_modules(source, module, is_package=is_package):
        for bad in forbidden:
            if name == bad or name.startswith(bad + "."):
                found.append(name)
    return found


def float_calls(source: str) -> list[int]:
    """Line numbers of float(...) calls."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "float"]


def _files(top: str) -> list[Path]:
    return sorted(p for p in (ROOT / top).rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_forbidden(layer: str) -> None:
    files = _files(layer)
    assert files, f"no Python files found under {layer}/"
    problems = []
    for path in files:
        found = violations(path.read_text(encoding="utf-8"), _module_name(path),
                           FORBIDDEN[layer], is_package=path.name == "__init__.py")
        problems += [f"{path.relative_to(ROOT)} imports {name}" for name in found]
    assert problems == [], "\n".join(problems)


def test_core_has_no_float_money() -> None:
    problems = []
    for path in _files("core"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in FLOAT_ALLOWED:
            continue
        problems += [f"{rel}:{line} calls float()"
                     for line in float_calls(path.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems)


def test_the_scanner_sees_what_it_must() -> None:
    """The checks above pass only if the scanner can find a violation at all."""
    src = ("import PySide6.QtCore\nfrom ui.tasks import TaskRunner\nimport app.x\n"
           "from core import models\nimport sqlalchemy as sa\n")
    assert violations(src, "core.services.foo", FORBIDDEN["core"]) == [
        "PySide6.QtCore", "ui.tasks", "ui.tasks.TaskRunner", "app.x"]
    assert violations(src, "ui.screens.foo", FORBIDDEN["ui"]) == ["core.models",
                                                                   "sqlalchemy"]
    assert violations("from . import models\n", "core", FORBIDDEN["ui"], is_package=True) == [
        "core.models"]
    assert violations("from ..models import ledger\n", "core.services.x", FORBIDDEN["ui"]) == [
        "core.models", "core.models.ledger"]
    assert violations("from core.money import exponent\n", "ui.x", FORBIDDEN["ui"]) == []
    assert float_calls("x = float(amount)\ny = isinstance(v, float)\n") == [1]
