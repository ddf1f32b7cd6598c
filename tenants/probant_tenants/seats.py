"""The one place that knows whether an organisation has a seat left for one more member."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.errors import DomainError
from probant_tenants.models import Membership, MembershipStatus, Organisation, Role


class SeatLimitReached(DomainError):
    code = "SEAT_LIMIT_REACHED"
    message_fr = "Votre formule compte {limit} utilisateurs : tous les sièges sont pris."
    message_en = "Your plan has {limit} users: every seat is taken."


async def ensure_seat_available(*, session: AsyncSession, organisation_id: uuid.UUID) -> None:
    """Raise SeatLimitReached when active + invited members already fill the plan's seats."""
    organisation = await session.get(Organisation, organisation_id, with_for_update=True)
    if organisation is None or organisation.seat_limit is None:
        return
    taken = await session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.status.in_([MembershipStatus.ACTIVE, MembershipStatus.INVITED]),
            Membership.role != Role.PARTNER,  # API clients take no seat
        )
    )
    if taken.scalar_one() >= organisation.seat_limit:
        raise SeatLimitReached(limit=organisation.seat_limit)
