"""Logging for the server: text or JSON lines on stderr, third-party noise kept quiet.

Configured once per process (``userpools serve`` and each worker it spawns, from ``USERPOOLS_LOG_LEVEL``
and ``USERPOOLS_LOG_FORMAT``). botocore (hook lines at DEBUG), alembic (seven INFO lines per start),
urllib3 and multipart stay at WARNING whatever the level: they said nothing a user of userpools acts on.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

FORMATS = ("text", "json")
LEVELS = ("debug", "info", "warning", "error")
QUIET = ("botocore", "boto3", "urllib3", "alembic", "multipart", "python_multipart", "asyncio", "httpx")
# Fields a log record may carry in ``extra={"fields": {...}}`` (the access log's), printed by both formats.
FIELDS = "fields"

_HANDLER_NAME = "userpools"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's fields, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, FIELDS, None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure(level: str = "info", fmt: str = "text") -> None:
    """Send every log record at ``level`` or above to stderr in ``fmt``; idempotent within a process."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # uvicorn's own start and stop lines say less than the banner; its errors still show.
    logging.getLogger("uvicorn.error").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("uvicorn.access").disabled = True


def uvicorn_level(level: str) -> str:
    """The level for uvicorn's own loggers, which it sets itself at start: never below warning."""
    return level.lower() if level.lower() in ("warning", "error") else "warning"


def configured() -> bool:
    return any(handler.get_name() == _HANDLER_NAME for handler in logging.getLogger().handlers)
