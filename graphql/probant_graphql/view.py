"""The strawberry ASGI view wired to Probant's unit of work."""

from __future__ import annotations

import json
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension

from probant_graphql.context import Context
from probant_graphql.security import NUL_MESSAGE, has_nul


class Explorer(Protocol):
    """The API explorer's page (the web layer's build of GraphiQL)."""

    def page(self) -> Response: ...


class ProbantGraphQL(GraphQL[Context, None]):
    """Runs each operation in one transaction, committed only when it ended without errors.

    A browser's GET gets the API explorer (`explorer`, our own GraphiQL build) when it is on.
    """

    def __init__(self, schema: Any, *, explorer: Explorer | None = None) -> None:
        super().__init__(schema, graphql_ide="graphiql" if explorer is not None else None)
        self.explorer = explorer

    async def render_graphql_ide(self, request: Request) -> Response:
        assert self.explorer is not None  # strawberry asks only when graphql_ide is set
        return self.explorer.page()

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        existing = getattr(request.state, "sub_response", None)
        if existing is None:
            existing = await super().get_sub_response(request)
            request.state.sub_response = existing
        return existing

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        runtime = request.app.state.runtime
        return Context(
            request=request,  # type: ignore[arg-type]
            response=response,
            runtime=runtime,
            session=runtime.database.session(),
        )

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        if not isinstance(request, Request):
            return await super().run(request)
        if has_nul(await _variables(request)):
            error = {"message": NUL_MESSAGE, "extensions": {"code": "INVALID_INPUT"}}
            return JSONResponse({"errors": [error]}, status_code=400)
        ctx = await self.get_context(request, await self.get_sub_response(request))
        try:
            response = await super().run(request, context=ctx)
            if ctx.failed:
                await ctx.session.rollback()
                # A session opened in a rolled-back transaction does not exist: no cookie.
                if isinstance(response, Response) and "set-cookie" in response.headers:
                    del response.headers["set-cookie"]
            else:
                await ctx.session.commit()
            return response
        except Exception:
            await ctx.session.rollback()
            raise
        finally:
            await ctx.session.close()


async def _variables(request: Request) -> Any:
    """The operation's variables as sent (the body is already buffered, and bounded)."""
    try:
        if request.method == "GET":
            return json.loads(request.query_params.get("variables") or "null")
        if request.headers.get("content-type", "").startswith("application/json"):
            body = json.loads(await request.body())
            return body.get("variables") if isinstance(body, dict) else body
    except ValueError:
        return None  # strawberry answers malformed JSON itself
    return None


class UnitOfWorkExtension(SchemaExtension):
    """Marks the operation failed when it raised errors, so its transaction is rolled back."""

    async def on_execute(self) -> Any:
        yield
        result = self.execution_context.result
        context = self.execution_context.context
        if isinstance(context, Context) and (result is None or result.errors):
            context.failed = True
