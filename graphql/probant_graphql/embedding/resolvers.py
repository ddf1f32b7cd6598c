"""Widget keys and API keys: created, listed and revoked by the organisation's admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.permissions import require
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.embedding import keys
from probant_tenants.embedding.errors import KeyNotFound
from probant_tenants.embedding.models import ApiKey as ApiKeyModel
from probant_tenants.embedding.models import WidgetKey as WidgetKeyModel


@strawberry.type
class WidgetKey:
    id: strawberry.ID
    public_key: str
    allowed_origins: list[str]
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, key: WidgetKeyModel) -> WidgetKey:
        return cls(
            id=strawberry.ID(str(key.id)),
            public_key=key.public_key,
            allowed_origins=list(key.allowed_origins),
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, key: ApiKeyModel) -> ApiKey:
        return cls(
            id=strawberry.ID(str(key.id)),
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type
class WidgetKeyPayload:
    widget_key: WidgetKey


@strawberry.type(description="The secret is shown here once; Probant keeps only its hash.")
class ApiKeyCreated:
    api_key: ApiKey
    secret: str


@strawberry.type
class RevokedPayload:
    ok: bool


WidgetKeyResult = Annotated[WidgetKeyPayload | CommonErrors, strawberry.union("WidgetKeyResult")]
ApiKeyResult = Annotated[ApiKeyCreated | CommonErrors, strawberry.union("ApiKeyResult")]
RevokeResult = Annotated[RevokedPayload | CommonErrors, strawberry.union("RevokeKeyResult")]
# A key's refusals are about the origins it lists.
KEY_FIELD = "allowedOrigins"


@strawberry.type
class EmbeddingQuery:
    @strawberry.field(description="The organisation's widget keys (OWNER/ADMIN).")
    async def widget_keys(self, info: Info[Context, Any]) -> list[WidgetKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await keys.list_widget_keys(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [WidgetKey.from_model(k) for k in rows]

    @strawberry.field(description="The organisation's secret API keys, without their secrets.")
    async def api_keys(self, info: Info[Context, Any]) -> list[ApiKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await keys.list_api_keys(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [ApiKey.from_model(k) for k in rows]


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
