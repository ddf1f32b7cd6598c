"""Jobs: hand each published event to its consumers; run one webhook delivery attempt."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import runtime
from probant_platform.db import TenantScope
from probant_platform.events.models import DomainEvent
from probant_platform.events.outbox import consumers, register_consumer
from probant_platform.jobs import task
from probant_platform.webhooks.delivery import deliver
from probant_platform.webhooks.endpoints import new_delivery
from probant_platform.webhooks.models import WebhookDelivery, WebhookEndpoint


async def fan_out(session: AsyncSession, event: DomainEvent) -> None:
    """One delivery per enabled endpoint of the organisation subscribed to the event."""
    endpoints = await session.execute(
        select(WebhookEndpoint).where(
            WebhookEndpoint.organisation_id == event.organisation_id,
            WebhookEndpoint.enabled.is_(True),
        )
    )
    for endpoint in endpoints.scalars():
        if event.type not in endpoint.events:
            continue
        done = await session.execute(
            select(WebhookDelivery.id).where(
                WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.event_id == event.id
            )
        )
        if done.first() is None:  # a retried dispatch must not deliver twice
            await new_delivery(session=session, endpoint=endpoint, event=event)


register_consumer("webhooks", fan_out)


@task(name="events.dispatch", queue="events")
async def dispatch(*, organisation_id: str, event_id: str) -> None:
    rt = runtime.current()
    scope = TenantScope(organisation_id=uuid.UUID(organisation_id))
    async with rt.database.unit_of_work(scope) as session:
        event = await session.get(DomainEvent, uuid.UUID(event_id))
        if event is None:
            return
        for consumer in consumers():
            await consumer(session, event)


@task(name="webhooks.deliver", queue="webhooks", retry=0)
async def deliver_job(*, organisation_id: str, delivery_id: str) -> None:
    """Retries are scheduled by the delivery itself (its own back-off), not by the queue."""
    rt = runtime.current()
    await deliver(
        database=rt.database,
        settings=rt.settings,
        organisation_id=uuid.UUID(organisation_id),
        delivery_id=uuid.UUID(delivery_id),
    )
