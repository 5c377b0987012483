"""Light and dark themes: QSS files in resources/qss/, applied to the whole application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
QSS_DIR = RESOURCES_DIR / "qss"
ICONS_DIR = RESOURCES_DIR / "icons"
THEMES = ("light", "dark")
DEFAULT_THEME = "light"


def stylesheet(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; one of {', '.join(THEMES)}")
    # QSS resolves url() against the working directory: point it at our icons explicitly.
    text = (QSS_DIR / f"{name}.qss").read_text(encoding="utf-8")
    return text.replace("@ICONS@", ICONS_DIR.as_posix())


def apply_theme(app: QApplication, name: str) -> None:
    """Fusion draws the same on every platform, so the QSS looks the same everywhere."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setStyleSheet(stylesheet(name))
    app.setProperty("cbs_theme", name)


def current_theme(app: QApplication) -> str:
    value = app.property("cbs_theme")
    return value if value in THEMES else DEFAULT_THEME
