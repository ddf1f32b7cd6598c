"""API clients (OAuth2 client credentials): registered, listed, rotated and revoked by admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors, NotAllowed, NotFound, invalid_input, register
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.permissions import require
from probant_platform.partners import clients, persisted
from probant_platform.partners import identity as _identity  # noqa: F401  (registers bearers)
from probant_platform.partners.models import ApiClient as ApiClientModel
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


@strawberry.type(description="A partner system acting as the organisation with OAuth2 tokens.")
class ApiClient:
    id: strawberry.ID
    name: str
    client_id: str
    scopes: list[str]
    created_at: datetime
    secret_rotated_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, row: ApiClientModel) -> ApiClient:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            client_id=row.client_id,
            scopes=list(row.scopes),
            created_at=row.created_at,
            secret_rotated_at=row.secret_rotated_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="The secret is shown here once; Probant keeps only its hash.")
class ApiClientSecret:
    api_client: ApiClient
    client_secret: str


@strawberry.type
class ApiClientPayload:
    api_client: ApiClient


SecretResult = Annotated[ApiClientSecret | CommonErrors, strawberry.union("ApiClientSecretResult")]
ApiClientResult = Annotated[ApiClientPayload | CommonErrors, strawberry.union("ApiClientResult")]
register("API_CLIENT_NOT_FOUND", NotFound)
register("API_CLIENTS_NOT_AVAILABLE", NotAllowed)
register("INVALID_PERSISTED_QUERY", invalid_input("queries"))
# Other refusals of a client are about its scopes.
CLIENT_FIELD = "scopes"


@strawberry.type
class ApiClientQuery:
    @strawberry.field(description="The organisation's API clients, without secrets (OWNER/ADMIN).")
    async def api_clients(self, info: Info[Context, Any]) -> list[ApiClient]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await clients.list_clients(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [ApiClient.from_model(r) for r in rows]


@strawberry.type
class ApiClientMutation:
    @strawberry.mutation(
        description="Register an API client with some of the scopes deposits:read "
        "deposits:write bailiffs:submit credits:read webhooks:manage documents:read; "
        "its secret is shown once."
    )
    async def create_api_client(
        self, info: Info[Context, Any], name: str, scopes: list[str]
    ) -> SecretResult:
        async def run(actor: Actor) -> ApiClientSecret:
            issued = await clients.create_client(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                name=name,
                scopes=scopes,
                created_by=actor.user_id,
            )
            return ApiClientSecret(
                api_client=ApiClient.from_model(issued.client), client_secret=issued.secret
            )

        return await run_mutation(
            info, Permission.WIDGET_KEYS_MANAGE, run, default_field=CLIENT_FIELD
        )

    @strawberry.mutation(
        description="A new secret for the client, shown once; the old one stops working now."
    )
    async def rotate_api_client_secret(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> SecretResult:
        async def run(actor: Actor) -> ApiClientSecret:
            issued = await clients.rotate_secret(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                id=require_id(id, "ApiClient", clients.ApiClientNotFound),
                actor_user_id=actor.user_id,
            )
            return ApiClientSecret(
                api_client=ApiClient.from_model(issued.client), client_secret=issued.secret
            )

        return await run_mutation(
            info, Permission.WIDGET_KEYS_MANAGE, run, default_field=CLIENT_FIELD
        )

    @strawberry.mutation(
        description="Revoke the client: its secret and every token it holds are refused at once."
    )
    async def revoke_api_client(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> ApiClientResult:
        async def run(actor: Actor) -> ApiClientPayload:
            row = await clients.revoke_client(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                id=require_id(id, "ApiClient", clients.ApiClientNotFound),
                actor_user_id=actor.user_id,
            )
            return ApiClientPayload(api_client=ApiClient.from_model(row))

        return await run_mutation(
            info, Permission.WIDGET_KEYS_MANAGE, run, default_field=CLIENT_FIELD
        )


@strawberry.type(description="Which persisted queries the organisation's API clients may run.")
class QueryAllowList:
    enabled: bool
    hashes: list[str]


AllowListResult = Annotated[QueryAllowList | CommonErrors, strawberry.union("QueryAllowListResult")]


@strawberry.type
class QueryAllowListQuery:
    @strawberry.field(description="The partner query allow-list (OWNER/ADMIN).")
    async def query_allow_list(self, info: Info[Context, Any]) -> QueryAllowList:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        found = await persisted.allow_list(info.context.session, actor.organisation_id)
        if found is None:
            return QueryAllowList(enabled=False, hashes=[])
        return QueryAllowList(enabled=found.enabled, hashes=list(found.hashes))


@strawberry.type
class QueryAllowListMutation:
    @strawberry.mutation(
        description="Allow the organisation's API clients only these documents (by SHA-256 "
        "of their exact text), or lift the restriction with enabled: false."
    )
    async def set_query_allow_list(
        self, info: Info[Context, Any], enabled: bool, queries: list[str]
    ) -> AllowListResult:
        async def run(actor: Actor) -> QueryAllowList:
            saved = await persisted.set_allow_list(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                enabled=enabled,
                queries=queries,
            )
            return QueryAllowList(enabled=saved.enabled, hashes=list(saved.hashes))

        return await run_mutation(
            info, Permission.WIDGET_KEYS_MANAGE, run, default_field=CLIENT_FIELD
        )
