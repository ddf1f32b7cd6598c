"""Registering, rotating and revoking API clients; the query allow-list; webhook endpoints."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.partners.errors import CLIENT_FIELD, ENDPOINT_FIELD
from probant_graphql.partners.types import (
    AllowListResult,
    ApiClient,
    ApiClientPayload,
    ApiClientResult,
    ApiClientSecret,
    ApiClientSecretResult,
    DeliveryResult,
    EndpointResult,
    QueryAllowList,
    WebhookDeliveryPayload,
    WebhookEndpoint,
    WebhookEndpointPayload,
    WebhookEndpointSecret,
    WebhookSecretResult,
)
from probant_platform.partners import clients, persisted
from probant_platform.webhooks import endpoints
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


async def _update(
    info: Info[Context, Any], id: strawberry.ID, *, events: list[str] | None, enabled: bool | None
) -> Any:
    async def body(actor: Actor) -> WebhookEndpointPayload:
        row = await endpoints.update_endpoint(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            endpoint_id=require_id(id, "WebhookEndpoint", endpoints.EndpointNotFound),
            events=events,
            enabled=enabled,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(row))

    return await run_mutation(info, Permission.WEBHOOKS_MANAGE, body, default_field=ENDPOINT_FIELD)


@strawberry.type
class ApiClientMutation:
    @strawberry.mutation(
        description="Register an API client with some of the scopes deposits:read "
        "deposits:write bailiffs:submit credits:read webhooks:manage documents:read; "
        "its secret is shown once."
    )
    async def create_api_client(
        self, info: Info[Context, Any], name: str, scopes: list[str]
    ) -> ApiClientSecretResult:
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
    ) -> ApiClientSecretResult:
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


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Register an endpoint; its signing secret is shown once.")
    async def create_webhook_endpoint(
        self, info: Info[Context, Any], url: str, events: list[str], description: str = ""
    ) -> WebhookSecretResult:
        async def body(actor: Actor) -> WebhookEndpointSecret:
            made = await endpoints.create_endpoint(
                session=info.context.session,
                settings=info.context.settings,
                organisation_id=actor.organisation_id,
                url=url,
                events=events,
                description=description,
                created_by=actor.user_id,
            )
            return WebhookEndpointSecret(
                endpoint=WebhookEndpoint.from_model(made.endpoint), secret=made.secret
            )

        return await run_mutation(
            info, Permission.WEBHOOKS_MANAGE, body, default_field=ENDPOINT_FIELD
        )

    @strawberry.mutation(description="Change the events an endpoint receives, or enable it again.")
    async def update_webhook_endpoint(
        self,
        info: Info[Context, Any],
        id: strawberry.ID,
        events: list[str] | None = None,
        enabled: bool | None = None,
    ) -> EndpointResult:
        return await _update(info, id, events=events, enabled=enabled)

    @strawberry.mutation(description="Stop sending to an endpoint.")
    async def disable_webhook_endpoint(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> EndpointResult:
        return await _update(info, id, events=None, enabled=False)

    @strawberry.mutation(description="A new signing secret, shown once; the old one stops now.")
    async def rotate_webhook_endpoint_secret(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> WebhookSecretResult:
        async def body(actor: Actor) -> WebhookEndpointSecret:
            made = await endpoints.rotate_secret(
                session=info.context.session,
                settings=info.context.settings,
                organisation_id=actor.organisation_id,
                endpoint_id=require_id(id, "WebhookEndpoint", endpoints.EndpointNotFound),
            )
            return WebhookEndpointSecret(
                endpoint=WebhookEndpoint.from_model(made.endpoint), secret=made.secret
            )

        return await run_mutation(
            info, Permission.WEBHOOKS_MANAGE, body, default_field=ENDPOINT_FIELD
        )

    @strawberry.mutation(description="Send a `webhook.test` event to this endpoint now.")
    async def send_test_webhook(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> DeliveryResult:
        async def body(actor: Actor) -> WebhookDeliveryPayload:
            delivery = await endpoints.send_test(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                endpoint_id=require_id(id, "WebhookEndpoint", endpoints.EndpointNotFound),
            )
            return WebhookDeliveryPayload(delivery_id=strawberry.ID(str(delivery.id)))

        return await run_mutation(
            info, Permission.WEBHOOKS_MANAGE, body, default_field=ENDPOINT_FIELD
        )

    @strawberry.mutation(description="Deliver a past event again (a new series of attempts).")
    async def replay_webhook_delivery(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> DeliveryResult:
        async def body(actor: Actor) -> WebhookDeliveryPayload:
            delivery = await endpoints.replay(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                delivery_id=require_id(id, "WebhookDelivery", endpoints.EndpointNotFound),
            )
            return WebhookDeliveryPayload(delivery_id=strawberry.ID(str(delivery.id)))

        return await run_mutation(
            info, Permission.WEBHOOKS_MANAGE, body, default_field=ENDPOINT_FIELD
        )
