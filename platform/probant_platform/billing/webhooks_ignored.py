"""Signed provider events we acknowledge without applying, and why.

A signed event that names no organisation we know (deleted since, another environment's
metadata, a customer that is not ours) must still answer 200: a 4xx/5xx makes Stripe retry
it for days. It is recorded here instead, once, for support to look at. Nothing here belongs
to a tenant, so the table has no row-level security.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, Database, utcnow


class IgnoredPaymentEvent(Base):
    """A provider event acknowledged but not applied; its id is unique."""

    __tablename__ = "ignored_payment_events"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


async def record_ignored(*, database: Database, event: dict[str, Any], reason: str) -> None:
    """Keep one row per ignored event (a replay changes nothing)."""
    async with database.unit_of_work() as session:
        await session.execute(
            insert(IgnoredPaymentEvent)
            .values(
                id=str(event["id"])[:120],
                provider="stripe",
                type=str(event["type"])[:80],
                reason=reason,
                received_at=utcnow(),
            )
            .on_conflict_do_nothing()
        )
