"""Per-channel, per-kind preferences. Without a choice for a kind, the account's switches
decide: email on, push off (`users.notify_email` / `notify_push`), the inbox always on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.notifications.kinds import KINDS
from probant_platform.notifications.models import Channel, NotificationPreference
from probant_tenants.models import User


class UnknownKind(DomainError):
    code = "UNKNOWN_NOTIFICATION_KIND"
    message_fr = "Ce type de notification n'existe pas."
    message_en = "This kind of notification does not exist."


@dataclass(frozen=True)
class Choice:
    kind: str
    channel: Channel
    enabled: bool


def default(user: User, channel: Channel) -> bool:
    if channel is Channel.EMAIL:
        return user.notify_email
    if channel is Channel.PUSH:
        return user.notify_push
    return True


async def choices(session: AsyncSession, user: User) -> list[Choice]:
    """Every kind × channel for `user`, with what applies now."""
    rows = await session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    chosen = {(r.kind, r.channel): r.enabled for r in rows.scalars()}
    return [
        Choice(kind, channel, chosen.get((kind, channel), default(user, channel)))
        for kind, entry in KINDS.items()
        for channel in Channel
        if channel is not Channel.EMAIL or entry.email is not None
    ]


async def enabled(session: AsyncSession, user: User, kind: str, channel: Channel) -> bool:
    if user.deleted_at is not None:
        return False
    row = await session.get(NotificationPreference, (user.id, kind, channel))
    return row.enabled if row is not None else default(user, channel)


async def choose(
    session: AsyncSession, *, user_id: uuid.UUID, kind: str, channel: Channel, enabled: bool
) -> None:
    """Record a choice; effective for the next event."""
    if kind not in KINDS:
        raise UnknownKind()
    statement = insert(NotificationPreference).values(
        user_id=user_id, kind=kind, channel=channel, enabled=enabled, updated_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "kind", "channel"],
            set_={"enabled": enabled, "updated_at": utcnow()},
        )
    )
