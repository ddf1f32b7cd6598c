"""Webhook endpoints over GraphQL: registered and managed by admins or `webhooks:manage` tokens."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.permissions import require
from probant_platform.errors import DomainError
from probant_platform.events.outbox import EVENT_TYPES
from probant_platform.webhooks import endpoints
from probant_platform.webhooks import models as wm
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

T = TypeVar("T")


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


Common = NotAuthenticated | NotAllowed | NotFound | InvalidInput
SecretResult = Annotated[
    WebhookEndpointSecret | Common, strawberry.union("WebhookEndpointSecretResult")
]
EndpointResult = Annotated[
    WebhookEndpointPayload | Common, strawberry.union("WebhookEndpointResult")
]
DeliveryResult = Annotated[
    WebhookDeliveryPayload | Common, strawberry.union("WebhookDeliveryResult")
]


def to_error(exc: DomainError, locale: str) -> Error:
    if exc.code == "NOT_FOUND":
        return NotFound(message=exc.message(locale))
    field = "events" if exc.code == "INVALID_EVENTS" else "url"
    return InvalidInput(message=exc.message(locale), field=field)


def _uuid(value: strawberry.ID) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise endpoints.EndpointNotFound() from None


async def _run(info: Info[Context, Any], body: Callable[[Actor], Awaitable[T]]) -> T | Error:
    actor = await authorise_mutation(info, Permission.WEBHOOKS_MANAGE)
    if isinstance(actor, Error):
        return actor
    return await in_savepoint(info, lambda: body(actor), locale=actor.locale, errors=to_error)


async def _update(
    info: Info[Context, Any], id: strawberry.ID, *, events: list[str] | None, enabled: bool | None
) -> WebhookEndpointPayload | Error:
    async def body(actor: Actor) -> WebhookEndpointPayload:
        row = await endpoints.update_endpoint(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            endpoint_id=_uuid(id),
            events=events,
            enabled=enabled,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(row))

    return await _run(info, body)


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

        return await _run(info, body)  # type: ignore[return-value]

    @strawberry.mutation(description="Change the events an endpoint receives, or enable it again.")
    async def update_webhook_endpoint(
        self,
        info: Info[Context, Any],
        id: strawberry.ID,
        events: list[str] | None = None,
        enabled: bool | None = None,
    ) -> EndpointResult:
        return await _update(info, id, events=events, enabled=enabled)  # type: ignore[return-value]

    @strawberry.mutation(description="Stop sending to an endpoint.")
    async def disable_webhook_endpoint(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> EndpointResult:
        return await _update(info, id, events=None, enabled=False)  # type: ignore[return-value]

    @strawberry.mutation(description="A new signing secret, shown once; the old one stops now.")
    async def rotate_webhook_endpoint_secret(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> SecretResult:
        async def body(actor: Actor) -> WebhookEndpointSecret:
            made = await endpoints.rotate_secret(
                session=info.context.session,
                settings=info.context.settings,
                organisation_id=actor.organisation_id,
                endpoint_id=_uuid(id),
            )
            return WebhookEndpointSecret(
                endpoint=WebhookEndpoint.from_model(made.endpoint), secret=made.secret
            )

        return await _run(info, body)  # type: ignore[return-value]

    @strawberry.mutation(description="Send a `webhook.test` event to this endpoint now.")
    async def send_test_webhook(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> DeliveryResult:
        async def body(actor: Actor) -> WebhookDeliveryPayload:
            delivery = await endpoints.send_test(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                endpoint_id=_uuid(id),
            )
            return WebhookDeliveryPayload(delivery_id=strawberry.ID(str(delivery.id)))

        return await _run(info, body)  # type: ignore[return-value]

    @strawberry.mutation(description="Deliver a past event again (a new series of attempts).")
    async def replay_webhook_delivery(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> DeliveryResult:
        async def body(actor: Actor) -> WebhookDeliveryPayload:
            delivery = await endpoints.replay(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                delivery_id=_uuid(id),
            )
            return WebhookDeliveryPayload(delivery_id=strawberry.ID(str(delivery.id)))

        return await _run(info, body)  # type: ignore[return-value]
