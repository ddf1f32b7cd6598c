"""Pure-ASGI middleware: request ids bound to logs, security headers, masked server errors.

Its `http.request` line is the access log: it names the path, never the query string
(upload tokens and signed links travel there).
"""

from __future__ import annotations

import secrets
import time

import structlog
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probant_platform.db.errors import is_database_error
from probant_platform.web.metrics import observe

log = structlog.get_logger("probant.http")

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(self), microphone=(self), geolocation=(self)",
    "cross-origin-opener-policy": "same-origin",
}


class RequestContextMiddleware:
    """Gives each request an id (echoed as `x-request-id`), logs it, and hides crashes."""

    def __init__(self, app: ASGIApp, *, production: bool):
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or secrets.token_hex(8)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["x-request-id"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if self.production or scope.get("scheme") == "https":
                    headers.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            log.exception("http.unhandled_error", path=scope.get("path"))
            if response_started:
                raise
            body: dict[str, object] = {"error": "internal_error", "request_id": request_id}
            if not self.production and not is_database_error(exc):
                body["detail"] = f"{type(exc).__name__}: {exc}"
            await JSONResponse(body, status_code=500)(scope, receive, send_wrapper)
        finally:
            observe(
                method=str(scope.get("method")),
                route=_route_template(scope),
                status=status,
                seconds=time.perf_counter() - started,
            )
            log.info(
                "http.request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )


def _route_template(scope: Scope) -> str:
    # The matched route's path template, never the raw path: ids would explode the label set.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if 0 < len(text) <= 64 and text.replace("-", "").isalnum():
                return text
    return None
