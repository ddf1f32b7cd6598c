"""API clients, the query allow-list and webhook endpoints: types, payloads and result
unions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors
from probant_platform.partners.models import ApiClient as ApiClientModel
from probant_platform.webhooks import endpoints
from probant_platform.webhooks import models as wm


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


ApiClientSecretResult = Annotated[
    ApiClientSecret | CommonErrors, strawberry.union("ApiClientSecretResult")
]
ApiClientResult = Annotated[ApiClientPayload | CommonErrors, strawberry.union("ApiClientResult")]


@strawberry.type(description="Which persisted queries the organisation's API clients may run.")
class QueryAllowList:
    enabled: bool
    hashes: list[str]


AllowListResult = Annotated[QueryAllowList | CommonErrors, strawberry.union("QueryAllowListResult")]


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


WebhookSecretResult = Annotated[
    WebhookEndpointSecret | CommonErrors, strawberry.union("WebhookEndpointSecretResult")
]
EndpointResult = Annotated[
    WebhookEndpointPayload | CommonErrors, strawberry.union("WebhookEndpointResult")
]
DeliveryResult = Annotated[
    WebhookDeliveryPayload | CommonErrors, strawberry.union("WebhookDeliveryResult")
]
