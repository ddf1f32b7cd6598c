"""Widget keys and API keys: created, listed and revoked by the organisation's admins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.permissions import require
from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_tenants.authz import Permission
from probant_tenants.embedding import keys
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


Common = NotAuthenticated | NotAllowed | NotFound | InvalidInput
WidgetKeyResult = Annotated[WidgetKeyPayload | Common, strawberry.union("WidgetKeyResult")]
ApiKeyResult = Annotated[ApiKeyCreated | Common, strawberry.union("ApiKeyResult")]
RevokeResult = Annotated[RevokedPayload | Common, strawberry.union("RevokeKeyResult")]


def to_error(exc: DomainError, locale: str) -> Error:
    if exc.code == "NOT_FOUND":
        return NotFound(message=exc.message(locale))
    return InvalidInput(message=exc.message(locale), field="allowedOrigins")


class KeyNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Clé introuvable."
    message_en = "Key not found."


@strawberry.type
class EmbeddingQuery:
    @strawberry.field(description="The organisation's widget keys (OWNER/ADMIN).")
    async def widget_keys(self, info: Info[Context, Any]) -> list[WidgetKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await info.context.session.execute(
            select(WidgetKeyModel)
            .where(WidgetKeyModel.organisation_id == actor.organisation_id)
            .order_by(WidgetKeyModel.created_at.desc())
        )
        return [WidgetKey.from_model(k) for k in rows.scalars()]

    @strawberry.field(description="The organisation's secret API keys, without their secrets.")
    async def api_keys(self, info: Info[Context, Any]) -> list[ApiKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await info.context.session.execute(
            select(ApiKeyModel)
            .where(ApiKeyModel.organisation_id == actor.organisation_id)
            .order_by(ApiKeyModel.created_at.desc())
        )
        return [ApiKey.from_model(k) for k in rows.scalars()]


@strawberry.type
class EmbeddingMutation:
    @strawberry.mutation(description="A publishable widget key for the listed origins.")
    async def create_widget_key(
        self, info: Info[Context, Any], allowed_origins: list[str]
    ) -> WidgetKeyResult:
        actor = await authorise_mutation(info, Permission.WIDGET_KEYS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> WidgetKeyPayload:
            key = await keys.create_widget_key(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                origins=allowed_origins,
                user_id=actor.user_id,
            )
            return WidgetKeyPayload(widget_key=WidgetKey.from_model(key))

        return await in_savepoint(info, run, locale=actor.locale, errors=to_error)  # type: ignore[return-value]

    @strawberry.mutation(
        description="A secret API key for the organisation's backend (shown once)."
    )
    async def create_api_key(self, info: Info[Context, Any], name: str) -> ApiKeyResult:
        actor = await authorise_mutation(info, Permission.WIDGET_KEYS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        issued = await keys.create_api_key(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            name=name,
            user_id=actor.user_id,
        )
        return ApiKeyCreated(api_key=ApiKey.from_model(issued.record), secret=issued.secret)

    @strawberry.mutation(description="Revoke a secret API key or a widget key at once.")
    async def revoke_key(self, info: Info[Context, Any], id: strawberry.ID) -> RevokeResult:
        actor = await authorise_mutation(info, Permission.WIDGET_KEYS_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> RevokedPayload:
            try:
                key_id = uuid.UUID(str(id))
            except ValueError:
                raise KeyNotFound() from None
            for model in (ApiKeyModel, WidgetKeyModel):
                key: ApiKeyModel | WidgetKeyModel | None = await info.context.session.get(
                    model, key_id
                )
                if key is not None and key.organisation_id == actor.organisation_id:
                    key.revoked_at = key.revoked_at or utcnow()
                    return RevokedPayload(ok=True)
            raise KeyNotFound()

        return await in_savepoint(info, run, locale=actor.locale, errors=to_error)  # type: ignore[return-value]
