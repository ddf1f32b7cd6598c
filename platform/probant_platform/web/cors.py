"""CORS for the embedded widget: only origins listed on a live widget key, never with cookies."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probant_tenants.embedding.keys import origin_allowed

CORS_PATHS = ("/graphql", "/uploads/", "/api/v1/")
ALLOWED_HEADERS = "authorization, content-type, accept-language, x-probant-csrf"


class WidgetCorsMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(CORS_PATHS):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        if not origin or origin == own:
            await self.app(scope, receive, send)
            return
        allowed = await self._allowed(scope, origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(allowed, origin)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and allowed:
                response_headers = MutableHeaders(scope=message)
                response_headers["access-control-allow-origin"] = origin
                response_headers.append("vary", "Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _allowed(scope: Scope, origin: str) -> bool:
        if len(origin) > 200:
            return False
        database = scope["app"].state.runtime.database
        async with database.unit_of_work() as session:
            return await origin_allowed(session, origin)

    @staticmethod
    def _preflight(allowed: bool, origin: str) -> Response:
        if not allowed:
            return Response(status_code=403)
        return Response(
            status_code=204,
            headers={
                "access-control-allow-origin": origin,
                "access-control-allow-methods": "GET, POST, PUT",
                "access-control-allow-headers": ALLOWED_HEADERS,
                "access-control-max-age": "600",
                "vary": "Origin",
            },
        )
