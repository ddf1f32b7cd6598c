"""Rate limits for partner tokens on /graphql: 429 with Retry-After and RateLimit-* headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from probant_graphql.context import Context
from probant_graphql.cost import COST_KEY
from probant_platform.partners.limits import budget_of, charge


class PartnerRateLimit(SchemaExtension):
    """Runs after the cost estimate: each partner request spends one request and its cost."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        ctx = context.context
        if isinstance(ctx, Context) and context.result is None:
            await self._charge(ctx)
        yield

    async def _charge(self, ctx: Context) -> None:
        runtime = ctx.runtime
        authorization = ctx.request.headers.get("authorization", "")
        budget = await budget_of(runtime.database, runtime.settings, authorization)
        if budget is None:
            return
        verdict = await charge(
            runtime.database, runtime.settings, budget, int(ctx.cache.get(COST_KEY, 1))
        )
        for name, value in verdict.headers().items():
            ctx.response.headers[name] = value
        if not verdict.allowed:
            ctx.response.status_code = 429
            self.execution_context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "Trop de requêtes, réessayez plus tard / Too many requests, retry later",
                        extensions={
                            "code": "RATE_LIMITED",
                            "retryAfter": verdict.reset_seconds,
                        },
                    )
                ],
            )
