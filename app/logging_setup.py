"""Structured log lines (JSON, one per line) with the use case's correlation id, rotated."""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime

from app import paths
from core.unit_of_work import correlation_id

MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "correlation_id": correlation_id.get(),
            "msg": record.getMessage(),
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup(level: str = "INFO", filename: str = "cbs.log") -> None:
    root = logging.getLogger("cbs")
    if any(getattr(h, "_cbs", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir() / filename, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS,
        encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    handler._cbs = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
