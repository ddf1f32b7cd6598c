"""When each delivery attempt runs: at once, then with growing gaps over about three days."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.jobs import job_app
from probant_platform.webhooks.models import WebhookDelivery

# Seconds to wait after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
# 20 h (≈ 2.98 days in all); after the last one the delivery has failed.
RETRY_DELAYS = (5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


async def schedule_delivery(
    session: AsyncSession, delivery: WebhookDelivery, *, delay_seconds: int
) -> None:
    """Defer the next attempt in the caller's transaction (it exists only if that commits)."""
    delivery.next_attempt_at = utcnow() + timedelta(seconds=delay_seconds)
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await job_app.configure_task(
        name="webhooks.deliver",
        connection=raw.driver_connection,
        schedule_in={"seconds": delay_seconds},
    ).defer_async(organisation_id=str(delivery.organisation_id), delivery_id=str(delivery.id))
