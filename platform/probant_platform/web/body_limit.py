"""A bound on what one request may make the server hold: body and query string.

The body is counted while it streams in, so a client announcing a small body (or none,
with chunked encoding) and sending a huge one is stopped at the limit, not after.
"""

from __future__ import annotations

from typing import Any, Literal

from starlette.responses import JSONResponse
from starlette.routing import request_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MESSAGE = "Requête trop volumineuse / Request too large (limit: {limit} bytes)"


class BodyLimit:
    """Answers 413 when the body or the query string passes `max_bytes`; else hands the
    (at most `max_bytes`) buffered body to `app`."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, shape: Literal["graphql", "rest"] = "graphql"
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.shape = shape

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_bytes or self._declared_too_large(scope):
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    def _declared_too_large(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                return not value.isdigit() or int(value) > self.max_bytes
        return False

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message, code = MESSAGE.format(limit=self.max_bytes), "REQUEST_TOO_LARGE"
        body: dict[str, Any] = (
            {"errors": [{"message": message, "extensions": {"code": code}}]}
            if self.shape == "graphql"
            else {"error": {"code": code, "message": message}}
        )
        # The unread body is left to the server, which closes the connection after it.
        await JSONResponse(body, 413)(scope, receive, send)


def bounded(endpoint: Any, *, max_bytes: int) -> ASGIApp:
    """A request/response endpoint (REST) behind a body limit."""
    return BodyLimit(request_response(endpoint), max_bytes=max_bytes, shape="rest")


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
