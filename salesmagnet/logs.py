"""One log format for every process: ours, uvicorn's, Sanic's and arq's loggers write through
the same handler, as readable text or (LOG_FORMAT=json) one JSON object per line.

Each record carries the request id of the HTTP request it was written under (`request_id`,
from a log-record factory reading a context variable the ASGI edge sets), and a website key
given as `?key=…` is never written: every line is redacted on its way out.
"""

from __future__ import annotations

import json
import logging
import logging.config
import os
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from salesmagnet.config import Settings

request_id: ContextVar[str | None] = ContextVar("salesmagnet_request_id", default=None)

MAX_REQUEST_ID = 128
# Query parameters never written: the website webhook's key, Meta's subscription verify token.
SECRET_PARAMS = frozenset({"key", "hub.verify_token"})
LOGGERS = (
    *("salesmagnet", "realtime", "jobs", "server", "arq"),
    *("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"),
    *("sanic.root", "sanic.error", "sanic.access", "sanic.server", "sanic.websockets"),
)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_PARAM = re.compile(r"(?<=[?&;])([^=&;\s\"'#]+)=([^&;\s\"'#]*)")


def make_request_id(given: str | None) -> str:
    """The client's X-Request-ID when it is printable ASCII of at most 128 characters, else a
    new one: 32 random hex digits (as uuid4().hex, at a quarter of its cost)."""
    if given and len(given) <= MAX_REQUEST_ID and given.isascii() and given.isprintable():
        return given
    return os.urandom(16).hex()


def redact(text: str) -> str:
    """`…?key=SECRET&x=1` → `…?key=[redacted]&x=1` (also percent-encoded or `+`-spelled names)."""
    if "=" not in text:
        return text
    return _PARAM.sub(_redact_param, text)


def _redact_param(match: re.Match[str]) -> str:
    name = match.group(1)
    if unquote_plus(name).lower() in SECRET_PARAMS:
        return f"{name}=[redacted]"
    return match.group(0)


_factory = logging.getLogRecordFactory()


def _record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _factory(*args, **kwargs)
    record.request_id = request_id.get()
    return record


def install_request_ids() -> None:
    """Every log record made from now on carries the current request id (or None)."""
    logging.setLogRecordFactory(_record)


def _request_id(record: logging.LogRecord) -> str | None:
    # A uvicorn worker process applies the configuration without configure(): its records
    # are formatted where they were made, so the context still holds the id.
    return getattr(record, "request_id", None) or request_id.get()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = _request_id(record) or "-"
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """time (UTC, ms), level, logger, message, request_id when there is one, exc when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        rid = _request_id(record)
        if rid is not None and rid != "-":
            line["request_id"] = rid
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exc"] = redact(record.exc_text)
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def dict_config(settings: Settings) -> dict[str, Any]:
    """The logging configuration for this process (also handed to uvicorn as `log_config`, so
    it installs no handler of its own)."""
    formatter = "json" if settings.log_format == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"()": f"{__name__}.TextFormatter"},
            "json": {"()": f"{__name__}.JsonFormatter"},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": settings.log_level},
        # Named loggers lose any handler of their own (uvicorn's, Sanic's) and propagate to root.
        "loggers": {
            **{name: {"handlers": [], "propagate": True, "level": settings.log_level} for name in LOGGERS},
            # Tortoise says "startup"/"shutdown" at INFO on every connect (the preflight's too).
            "tortoise": {"level": settings.log_level if settings.log_level == "DEBUG" else "WARNING"},
        },
    }


def configure(settings: Settings) -> None:
    """Install the one format for this process (server, CLI and worker call it first)."""
    install_request_ids()
    logging.config.dictConfig(dict_config(settings))
