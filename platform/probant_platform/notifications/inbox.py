"""The inbox's read side and its read marks: each person sees only their own notifications
in the organisation they are acting in (row-level security checks it too), and the kinds of
notification that concern them there."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.notifications import kinds, preferences
from probant_platform.notifications.models import Channel, Notification
from probant_tenants.models import User

# The recipients' groups that exist only in a bailiff office.
OFFICE_GROUPS = {"clerks", "commissaires"}


class NotificationNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Cette notification n'existe pas."
    message_en = "This notification does not exist."


def _mine(organisation_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Any, ...]:
    return (
        Notification.organisation_id == organisation_id,
        Notification.user_id == user_id,
        Notification.channel == Channel.INBOX,
    )


def notifications(
    *, organisation_id: uuid.UUID, user_id: uuid.UUID, unread_only: bool = False
) -> Select[Notification]:
    """The person's inbox in the organisation (the caller pages it, newest first)."""
    query = select(Notification).where(*_mine(organisation_id, user_id))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query


async def unread_count(
    *, session: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> int:
    count = await session.execute(
        select(func.count())
        .select_from(Notification)
        .where(*_mine(organisation_id, user_id), Notification.read_at.is_(None))
    )
    return int(count.scalar_one())


async def mark_read(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    notification_id: uuid.UUID,
) -> Notification:
    """Mark one of the person's notifications read (once); `NotificationNotFound` for an id
    that is not one of theirs."""
    row = (
        await session.execute(
            select(Notification).where(
                *_mine(organisation_id, user_id), Notification.id == notification_id
            )
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotificationNotFound()
    if row.read_at is None:
        row.read_at = utcnow()
        await session.flush()
    return row


async def mark_all_read(
    *, session: AsyncSession, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> int:
    """Mark every unread notification of the person in the organisation read; how many."""
    marked = await session.execute(
        update(Notification)
        .where(*_mine(organisation_id, user_id), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(marked, "rowcount", 0) or 0)


def concerns(kind: str, *, in_office: bool) -> bool:
    """Office kinds in an office, the others elsewhere (a choice is the person's anyway)."""
    return in_office == bool(OFFICE_GROUPS & set(kinds.KINDS[kind].recipients))


async def choices(
    *, session: AsyncSession, user_id: uuid.UUID, in_office: bool
) -> list[preferences.Choice]:
    """The person's choice per kind × channel, for the kinds that concern them here."""
    user = await session.get(User, user_id)
    assert user is not None
    return [
        c for c in await preferences.choices(session, user) if concerns(c.kind, in_office=in_office)
    ]
