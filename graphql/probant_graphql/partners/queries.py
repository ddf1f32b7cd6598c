"""The organisation's API clients, its query allow-list and its webhook endpoints."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.partners.types import ApiClient, QueryAllowList, WebhookEndpoint
from probant_graphql.permissions import require
from probant_platform.events.outbox import EVENT_TYPES
from probant_platform.partners import clients, persisted
from probant_platform.partners import identity as _identity  # noqa: F401  (registers bearers)
from probant_platform.webhooks import endpoints
from probant_tenants.authz import Permission


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
class QueryAllowListQuery:
    @strawberry.field(description="The partner query allow-list (OWNER/ADMIN).")
    async def query_allow_list(self, info: Info[Context, Any]) -> QueryAllowList:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        found = await persisted.allow_list(info.context.session, actor.organisation_id)
        if found is None:
            return QueryAllowList(enabled=False, hashes=[])
        return QueryAllowList(enabled=found.enabled, hashes=list(found.hashes))


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="The organisation's webhook endpoints.")
    async def webhook_endpoints(self, info: Info[Context, Any]) -> list[WebhookEndpoint]:
        actor = await require(info, Permission.WEBHOOKS_MANAGE)
        rows = await endpoints.list_endpoints(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [WebhookEndpoint.from_model(r) for r in rows]

    @strawberry.field(description="The event types an endpoint can subscribe to.")
    def webhook_event_types(self) -> list[str]:
        return list(EVENT_TYPES)
