"""Publishing a domain event: a row in `events`, written in the caller's transaction.

An event exists only if the change that caused it commits, and at most once per `key` (jobs
that retry publish the same key). A job then hands it to every registered consumer
(webhooks now; in-app notifications can register the same way).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import new_id, utcnow
from probant_platform.events.models import DomainEvent
from probant_platform.jobs import enqueue

PAYLOAD_VERSION = 1
EVENT_TYPES = (
    "deposit.sealed",
    "deposit.anchored",
    "certificate.issued",
    "submission.accepted",
    "submission.rejected",
    "constat.issued",
    "onsite.quoted",
    "credits.low",
    "submission.received",
    "invitation.accepted",
    "constat.awaiting_validation",
    "onsite.answered",
    "submission.due_soon",
    "payment.failed",
)
Consumer = Callable[[AsyncSession, DomainEvent], Awaitable[None]]
_consumers: dict[str, Consumer] = {}


def register_consumer(name: str, consumer: Consumer) -> None:
    """Call `consumer` (in the organisation's scope) for every event published from now on."""
    _consumers[name] = consumer


def consumers() -> list[Consumer]:
    return list(_consumers.values())


async def publish(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    type: str,
    key: str,
    data: dict[str, Any],
) -> bool:
    """Record that `type` happened (ids only in `data`); False if `key` was already published."""
    assert type in EVENT_TYPES, type
    event_id = new_id()
    values = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in data.items()}
    # Through a function: an office publishing for a tenant it serves may write the event
    # but not read the outbox (see migration 0850).
    inserted = await session.execute(
        text("SELECT probant_publish_event(:i, :o, :t, :k, :v, :at, :d)").bindparams(
            bindparam("d", type_=JSONB)
        ),
        {
            "i": event_id,
            "o": organisation_id,
            "t": type,
            "k": key,
            "v": PAYLOAD_VERSION,
            "at": utcnow(),
            "d": values,
        },
    )
    if not inserted.scalar_one():
        return False
    await enqueue(
        session, "events.dispatch", organisation_id=str(organisation_id), event_id=str(event_id)
    )
    return True
