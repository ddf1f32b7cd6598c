"""Webhook endpoints over GraphQL: registered and managed by admins or `webhooks:manage` tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors, invalid_input, register
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.permissions import require
from probant_platform.events.outbox import EVENT_TYPES
from probant_platform.webhooks import endpoints
from probant_platform.webhooks import models as wm
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


@strawberry.type(description="One HTTP attempt of a delivery (the delivery log).")
class WebhookAttempt:
    attempt: int
    attempted_at: datetime
    response_status: int | None
    latency_ms: int | None
    error: str | None
    succeeded: bool


@strawberry.type
class WebhookDelivery:
    id: strawberry.ID
    event_id: str
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    log: list[WebhookAttempt]


@strawberry.type
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    description: str
    events: list[str]
    enabled: bool
    disabled_reason: str | None
    created_at: datetime

    @strawberry.field(description="The latest deliveries, newest first, with their attempts.")
    async def deliveries(self, info: Info[Context, Any], first: int = 20) -> list[WebhookDelivery]:
        rows = await endpoints.deliveries_of(
            session=info.context.session,
            endpoint_id=uuid.UUID(str(self.id)),
            limit=max(1, min(first, 100)),
        )
        return [
            WebhookDelivery(
                id=strawberry.ID(str(d.id)),
                event_id=f"evt_{e.id.hex}",
                event_type=e.type,
                status=d.status.value,
                attempts=d.attempts,
                created_at=d.created_at,
                next_attempt_at=d.next_attempt_at,
                delivered_at=d.delivered_at,
                log=[
                    WebhookAttempt(
                        attempt=a.attempt,
                        attempted_at=a.attempted_at,
                        response_status=a.response_status,
                        latency_ms=a.latency_ms,
                        error=a.error,
                        succeeded=a.succeeded,
                    )
                    for a in attempts
                ],
            )
            for d, e, attempts in rows
        ]

    @classmethod
    def from_model(cls, row: wm.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            description=row.description,
            events=list(row.events),
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
            created_at=row.created_at,
        )


@strawberry.type(description="The signing secret (whsec_…) is shown here once.")
class WebhookEndpointSecret:
    endpoint: WebhookEndpoint
    secret: str


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint


@strawberry.type
class WebhookDeliveryPayload:
    delivery_id: strawberry.ID


SecretResult = Annotated[
    WebhookEndpointSecret | CommonErrors, strawberry.union("WebhookEndpointSecretResult")
]
EndpointResult = Annotated[
    WebhookEndpointPayload | CommonErrors, strawberry.union("WebhookEndpointResult")
]
DeliveryResult = Annotated[
    WebhookDeliveryPayload | CommonErrors, strawberry.union("WebhookDeliveryResult")
]
register("INVALID_EVENTS", invalid_input("events"))
# Other refusals of an endpoint are about its address.
ENDPOINT_FIELD = "url"


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


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Register an endpoint; its signing secret is shown once.")
    async def create_webhook_endpoint(
        self, info: Info[Context, Any], url: str, events: list[str], description: str = ""
    ) -> SecretResult:
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
    ) -> SecretResult:
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
