"""Automatic persisted queries (APQ) in front of `/graphql`, and partners' allow-lists.

A client sends `extensions.persistedQuery.sha256Hash` without the query; an unknown hash
answers `PERSISTED_QUERY_NOT_FOUND` and the client sends query and hash once, after which
the hash alone is enough. An organisation may allow its API clients only listed queries.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from probant_platform.db import TenantScope
from probant_platform.partners.limits import budget_of
from probant_platform.partners.persisted import allow_list, lookup, remember, sha256_of
from probant_platform.runtime import Runtime

MAX_BODY = 1_000_000


def _error(code: str, message: str, status: int = 200) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


class PersistedQueries:
    """ASGI wrapper of the GraphQL app: resolves hashes, then replays the request to it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        raw = await request.body()
        try:
            body = json.loads(raw) if len(raw) <= MAX_BODY else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            await self.app(scope, _replay(raw), send)
            return
        outcome = await self._resolve(request, body)
        if isinstance(outcome, JSONResponse):
            await outcome(scope, receive, send)
            return
        await self.app(scope, _replay(json.dumps(outcome).encode()), send)

    async def _resolve(
        self, request: Request, body: dict[str, Any]
    ) -> dict[str, Any] | JSONResponse:
        runtime: Runtime = request.app.state.runtime
        extension = (body.get("extensions") or {}).get("persistedQuery")
        query = body.get("query")
        if isinstance(extension, dict):
            digest = str(extension.get("sha256Hash", "")).lower()
            async with runtime.database.unit_of_work() as session:
                if isinstance(query, str) and query:
                    if sha256_of(query) != digest:
                        return _error("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash ≠ query", 400)
                    await remember(session, query)
                else:
                    query = await lookup(session, digest)
            if query is None:
                return _error("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            body = {**body, "query": query}
        refusal = await self._allowed(request, runtime, body.get("query"))
        return refusal or body

    async def _allowed(self, request: Request, runtime: Runtime, query: Any) -> JSONResponse | None:
        """A partner of an organisation with an allow-list runs listed documents only."""
        authorization = request.headers.get("authorization", "")
        budget = await budget_of(runtime.database, runtime.settings, authorization)
        if budget is None:
            return None
        scope = TenantScope(organisation_id=uuid.UUID(budget.organisation))
        async with runtime.database.unit_of_work(scope) as session:
            policy = await allow_list(session, scope.organisation_id)  # type: ignore[arg-type]
        if policy is None or not policy.enabled:
            return None
        if isinstance(query, str) and sha256_of(query) in policy.hashes:
            return None
        return _error(
            "PERSISTED_QUERY_NOT_ALLOWED",
            "Requête hors de la liste autorisée / Query not in the organisation's allow-list",
            403,
        )


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
