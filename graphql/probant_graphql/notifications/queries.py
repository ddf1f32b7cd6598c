"""The inbox (`notifications`, `unreadNotificationCount`), the choices per channel and kind,
and the browsers that receive pushes. Each person sees only their own notifications in the
organisation they are acting in (row-level security checks it too)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.pagination import page
from probant_graphql.notifications.types import (
    Notification,
    NotificationChannel,
    NotificationChoice,
    PushDevice,
)
from probant_graphql.permissions import require
from probant_platform.notifications import inbox, push
from probant_platform.notifications.models import Notification as NotificationModel
from probant_tenants.context import Actor
from probant_tenants.models import OrganisationKind


async def unread_count(info: Info[Context, Any], actor: Actor) -> int:
    return await inbox.unread_count(
        session=info.context.session,
        organisation_id=actor.organisation_id,
        user_id=actor.user_id,
    )


async def choices_of(info: Info[Context, Any], actor: Actor) -> list[NotificationChoice]:
    found = await inbox.choices(
        session=info.context.session,
        user_id=actor.user_id,
        in_office=actor.organisation_kind is OrganisationKind.BAILIFF_OFFICE,
    )
    return [
        NotificationChoice(
            kind=c.kind, channel=NotificationChannel(c.channel.value), enabled=c.enabled
        )
        for c in found
    ]


@strawberry.type
class NotificationQuery:
    @strawberry.field(description="Your notifications in this organisation, newest first.")
    async def notifications(
        self,
        info: Info[Context, Any],
        first: int | None = None,
        after: str | None = None,
        unread_only: bool = False,
    ) -> relay.Connection[Notification]:
        actor = await require(info)
        query = inbox.notifications(
            organisation_id=actor.organisation_id,
            user_id=actor.user_id,
            unread_only=unread_only,
        )
        return await page(
            info.context.session,
            query,
            created=NotificationModel.created_at,
            ident=NotificationModel.id,
            first=first,
            after=after,
            to_node=lambda r: Notification.from_model(r, actor.locale),
        )

    @strawberry.field(description="How many of your notifications are unread (for the bell).")
    async def unread_notification_count(self, info: Info[Context, Any]) -> int:
        return await unread_count(info, await require(info))

    @strawberry.field(
        description="Every kind of notification that concerns your organisation × channel, "
        "with your choice (or the default: inbox on, email on, push off)."
    )
    async def notification_choices(self, info: Info[Context, Any]) -> list[NotificationChoice]:
        return await choices_of(info, await require(info))

    @strawberry.field(
        description="The VAPID public key browsers subscribe with (`applicationServerKey`, "
        "base64url); null when push is not configured."
    )
    async def web_push_public_key(self, info: Info[Context, Any]) -> str | None:
        await require(info)
        return push.public_key(info.context.settings)

    @strawberry.field(description="The browsers that receive your push notifications.")
    async def push_devices(self, info: Info[Context, Any]) -> list[PushDevice]:
        actor = await require(info)
        rows = await push.subscriptions_of(info.context.session, actor.user_id)
        return [PushDevice.from_model(r) for r in rows]
