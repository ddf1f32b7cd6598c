"""Structured JSON logs (structlog) with the request id bound per request; secrets never logged."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from probant_platform.observability import add_trace_context

REDACTED_KEYS = frozenset(
    {"password", "token", "secret", "authorization", "cookie", "code", "api_key", "private_key"}
)


def _redact(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if any(part in key.lower() for part in REDACTED_KEYS):
            event[key] = "[redacted]"
    return event


class DropQueryStrings(logging.Filter):
    """uvicorn's access log prints the full path: keep it, but never its query string, where
    upload tokens and signed links travel (`probant serve` turns that log off; this holds
    when uvicorn is run some other way)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn.access: '%s - "%s %s HTTP/%s" %d' % (client, method, path, version, status)
        if isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            record.args = (client, method, str(path).split("?", 1)[0], version, status)
        return True


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    """Route stdlib and structlog records through one JSON renderer on stderr."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_trace_context,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own logging config (when something applied it) gives its loggers handlers of
    # their own and stops propagation: bring them back to the one JSON handler.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
    # httpx logs every outgoing URL at INFO; signed links and API queries may ride in them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, DropQueryStrings) for f in access.filters):
        access.addFilter(DropQueryStrings())
