"""An organisation's webhook endpoints: registered, listed, changed, tested and replayed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.events.models import DomainEvent
from probant_platform.events.outbox import EVENT_TYPES, PAYLOAD_VERSION
from probant_platform.text import clean_line
from probant_platform.webhooks import secrets
from probant_platform.webhooks.addresses import check_url
from probant_platform.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from probant_platform.webhooks.schedule import schedule_delivery

MAX_ENDPOINTS = 20
TEST_EVENT = "webhook.test"


class InvalidEvents(DomainError):
    code = "INVALID_EVENTS"
    message_fr = "Événements inconnus ou vides : {events}. Événements possibles : {known}."
    message_en = "Unknown or empty events: {events}. Known events: {known}."


class EndpointNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Point de terminaison ou livraison introuvable."
    message_en = "Endpoint or delivery not found."


class TooManyEndpoints(DomainError):
    code = "TOO_MANY_ENDPOINTS"
    message_fr = "Au plus {limit} points de terminaison par organisation."
    message_en = "At most {limit} endpoints per organisation."


@dataclass(frozen=True)
class EndpointWithSecret:
    endpoint: WebhookEndpoint
    secret: str


def parse_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown or not events:
        raise InvalidEvents(events=" ".join(unknown)[:200] or "—", known=" ".join(EVENT_TYPES))
    return [e for e in EVENT_TYPES if e in events]


async def create_endpoint(
    *,
    session: AsyncSession,
    settings: Settings,
    organisation_id: uuid.UUID,
    url: str,
    events: list[str],
    description: str,
    created_by: uuid.UUID | None,
) -> EndpointWithSecret:
    checked = check_url(url, require_https=settings.is_production)
    wanted = parse_events(events)
    existing = await list_endpoints(session=session, organisation_id=organisation_id)
    if len(existing) >= MAX_ENDPOINTS:
        raise TooManyEndpoints(limit=MAX_ENDPOINTS)
    secret = secrets.new_secret()
    endpoint = WebhookEndpoint(
        organisation_id=organisation_id,
        url=checked,
        description=clean_line(description or "", max_length=200) or "",
        events=wanted,
        secret_encrypted=secrets.seal(settings, secret),
        enabled=True,
        consecutive_failures=0,
        created_by=created_by,
        created_at=utcnow(),
    )
    session.add(endpoint)
    await session.flush()
    return EndpointWithSecret(endpoint=endpoint, secret=secret)


async def list_endpoints(
    *, session: AsyncSession, organisation_id: uuid.UUID
) -> list[WebhookEndpoint]:
    found = await session.execute(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organisation_id == organisation_id)
        .order_by(WebhookEndpoint.created_at)
    )
    return list(found.scalars())


async def get_endpoint(
    *, session: AsyncSession, organisation_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None or endpoint.organisation_id != organisation_id:
        raise EndpointNotFound()
    return endpoint


async def update_endpoint(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    events: list[str] | None,
    enabled: bool | None,
) -> WebhookEndpoint:
    """Change the events it receives, or turn it on or off (on again: failures forgotten)."""
    endpoint = await get_endpoint(
        session=session, organisation_id=organisation_id, endpoint_id=endpoint_id
    )
    if events is not None:
        endpoint.events = parse_events(events)
    if enabled is not None and enabled != endpoint.enabled:
        endpoint.enabled = enabled
        endpoint.disabled_at = None if enabled else utcnow()
        endpoint.disabled_reason = None if enabled else "disabled by an administrator"
        endpoint.consecutive_failures = 0
    await session.flush()
    return endpoint


async def rotate_secret(
    *, session: AsyncSession, settings: Settings, organisation_id: uuid.UUID, endpoint_id: uuid.UUID
) -> EndpointWithSecret:
    endpoint = await get_endpoint(
        session=session, organisation_id=organisation_id, endpoint_id=endpoint_id
    )
    secret = secrets.new_secret()
    endpoint.secret_encrypted = secrets.seal(settings, secret)
    await session.flush()
    return EndpointWithSecret(endpoint=endpoint, secret=secret)


async def send_test(
    *, session: AsyncSession, organisation_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookDelivery:
    """A `webhook.test` event delivered to this endpoint only (even while it is disabled)."""
    endpoint = await get_endpoint(
        session=session, organisation_id=organisation_id, endpoint_id=endpoint_id
    )
    event = DomainEvent(
        organisation_id=organisation_id,
        type=TEST_EVENT,
        key=f"{TEST_EVENT}:{uuid.uuid4()}",
        version=PAYLOAD_VERSION,
        occurred_at=utcnow(),
        data={"endpoint_id": str(endpoint.id)},
    )
    session.add(event)
    await session.flush()
    return await new_delivery(session=session, endpoint=endpoint, event=event)


async def new_delivery(
    *, session: AsyncSession, endpoint: WebhookEndpoint, event: DomainEvent
) -> WebhookDelivery:
    delivery = WebhookDelivery(
        organisation_id=endpoint.organisation_id,
        endpoint_id=endpoint.id,
        event_id=event.id,
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    session.add(delivery)
    await session.flush()
    await schedule_delivery(session, delivery, delay_seconds=0)
    return delivery


async def replay(
    *, session: AsyncSession, organisation_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """Deliver again now (a new series of attempts), whatever happened before."""
    delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.organisation_id != organisation_id:
        raise EndpointNotFound()
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at, delivery.delivered_at = utcnow(), None
    await session.flush()
    await schedule_delivery(session, delivery, delay_seconds=0)
    return delivery


async def deliveries_of(
    *, session: AsyncSession, endpoint_id: uuid.UUID, limit: int = 50
) -> list[tuple[WebhookDelivery, DomainEvent, list[WebhookAttempt]]]:
    """The endpoint's latest deliveries, each with its event and its attempts (the log)."""
    rows = (
        await session.execute(
            select(WebhookDelivery, DomainEvent)
            .join(DomainEvent, DomainEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.created_at.desc())
            .limit(limit)
        )
    ).all()
    ids = [d.id for d, _ in rows]
    attempts: list[WebhookAttempt] = []
    if ids:
        found = await session.execute(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(ids))
            .order_by(WebhookAttempt.attempt)
        )
        attempts = list(found.scalars())
    by_delivery: dict[uuid.UUID, list[WebhookAttempt]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
    return [(d, e, by_delivery.get(d.id, [])) for d, e in rows]
