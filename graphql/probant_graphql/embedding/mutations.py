"""Widget keys and API keys: created and revoked by the organisation's admins."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.embedding.types import (
    ApiKey,
    ApiKeyCreated,
    RevokedPayload,
    WidgetKey,
    WidgetKeyPayload,
)
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.embedding import keys
from probant_tenants.embedding.errors import KeyNotFound

WidgetKeyResult = Annotated[WidgetKeyPayload | CommonErrors, strawberry.union("WidgetKeyResult")]
ApiKeyResult = Annotated[ApiKeyCreated | CommonErrors, strawberry.union("ApiKeyResult")]
RevokeResult = Annotated[RevokedPayload | CommonErrors, strawberry.union("RevokeKeyResult")]
# A key's refusals are about the origins it lists.
KEY_FIELD = "allowedOrigins"


@strawberry.type
class EmbeddingMutation:
    @strawberry.mutation(description="A publishable widget key for the listed origins.")
    async def create_widget_key(
        self, info: Info[Context, Any], allowed_origins: list[str]
    ) -> WidgetKeyResult:
        async def run(actor: Actor) -> WidgetKeyPayload:
            key = await keys.create_widget_key(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                origins=allowed_origins,
                user_id=actor.user_id,
            )
            return WidgetKeyPayload(widget_key=WidgetKey.from_model(key))

        return await run_mutation(info, Permission.WIDGET_KEYS_MANAGE, run, default_field=KEY_FIELD)

    @strawberry.mutation(
        description="A secret API key for the organisation's backend (shown once)."
    )
    async def create_api_key(self, info: Info[Context, Any], name: str) -> ApiKeyResult:
        async def run(actor: Actor) -> ApiKeyCreated:
            issued = await keys.create_api_key(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                name=name,
                user_id=actor.user_id,
            )
            return ApiKeyCreated(api_key=ApiKey.from_model(issued.record), secret=issued.secret)

        return await run_mutation(info, Permission.WIDGET_KEYS_MANAGE, run, default_field=KEY_FIELD)

    @strawberry.mutation(description="Revoke a secret API key or a widget key at once.")
    async def revoke_key(self, info: Info[Context, Any], id: strawberry.ID) -> RevokeResult:
        async def run(actor: Actor) -> RevokedPayload:
            await keys.revoke_key(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                key_id=require_id(id, "Key", KeyNotFound),
            )
            return RevokedPayload(ok=True)

        return await run_mutation(info, Permission.WIDGET_KEYS_MANAGE, run, default_field=KEY_FIELD)
