"""`credits.low`: published when a spend takes the organisation's wallet below the threshold."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.events.outbox import publish
from probant_platform.ledger.services import balance

LOW_CREDITS = 3


async def after_spend(
    session: AsyncSession, *, organisation_id: uuid.UUID, spent: int, from_wallet: bool, key: str
) -> None:
    """Publish once, on the spend that crosses the threshold (not on every spend below it)."""
    if not from_wallet or spent <= 0:
        return
    left = await balance(session=session, organisation_id=organisation_id)
    if left < LOW_CREDITS <= left + spent:
        await publish(
            session,
            organisation_id=organisation_id,
            type="credits.low",
            key=f"credits.low:{key}",
            data={"balance": left, "threshold": LOW_CREDITS},
        )
