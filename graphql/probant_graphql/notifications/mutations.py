"""Read marks, notification choices and push subscriptions: each mutation acts for the
person asking (`run_mutation` without a permission: any authenticated actor)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.notifications.errors import PushUnavailable
from probant_graphql.notifications.queries import choices_of, unread_count
from probant_graphql.notifications.types import (
    AllNotificationsReadPayload,
    Notification,
    NotificationChannel,
    NotificationChoicePayload,
    NotificationReadPayload,
    PushDevice,
    PushSubscriptionPayload,
    PushSubscriptionRemoved,
)
from probant_platform.notifications import inbox, preferences, push
from probant_platform.notifications.models import Channel
from probant_tenants.context import Actor

Guards = NotAuthenticated | NotAllowed
ReadResult = Annotated[
    NotificationReadPayload | NotFound | Guards, strawberry.union("MarkNotificationReadResult")
]
AllReadResult = Annotated[
    AllNotificationsReadPayload | Guards, strawberry.union("MarkAllNotificationsReadResult")
]
RegisterPushResult = Annotated[
    PushSubscriptionPayload | InvalidInput | PushUnavailable | Guards,
    strawberry.union("RegisterPushSubscriptionResult"),
]
RemovePushResult = Annotated[
    PushSubscriptionRemoved | Guards, strawberry.union("RemovePushSubscriptionResult")
]
ChoiceResult = Annotated[
    NotificationChoicePayload | InvalidInput | Guards,
    strawberry.union("SetNotificationPreferenceResult"),
]


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Store this browser's push subscription (PushSubscription.toJSON()) for you."
    )
    async def register_push_subscription(
        self, info: Info[Context, Any], endpoint: str, p256dh: str, auth: str
    ) -> RegisterPushResult:
        async def run(actor: Actor) -> PushSubscriptionPayload:
            row = await push.subscribe(
                info.context.session,
                info.context.settings,
                user_id=actor.user_id,
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
                user_agent=info.context.request.headers.get("user-agent", ""),
            )
            return PushSubscriptionPayload(device=PushDevice.from_model(row))

        return await run_mutation(info, None, run)

    @strawberry.mutation(description="Stop push notifications to this browser.")
    async def remove_push_subscription(
        self, info: Info[Context, Any], endpoint: str
    ) -> RemovePushResult:
        async def run(actor: Actor) -> PushSubscriptionRemoved:
            removed = await push.unsubscribe(
                info.context.session, user_id=actor.user_id, endpoint=endpoint
            )
            return PushSubscriptionRemoved(removed=removed)

        return await run_mutation(info, None, run)

    @strawberry.mutation(description="Mark one of your notifications read.")
    async def mark_notification_read(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> ReadResult:
        async def run(actor: Actor) -> NotificationReadPayload:
            row = await inbox.mark_read(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                user_id=actor.user_id,
                notification_id=require_id(id, "Notification", inbox.NotificationNotFound),
            )
            return NotificationReadPayload(
                notification=Notification.from_model(row, actor.locale),
                unread_count=await unread_count(info, actor),
            )

        return await run_mutation(info, None, run)

    @strawberry.mutation(description="Mark all your notifications in this organisation read.")
    async def mark_all_notifications_read(self, info: Info[Context, Any]) -> AllReadResult:
        async def run(actor: Actor) -> AllNotificationsReadPayload:
            marked = await inbox.mark_all_read(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                user_id=actor.user_id,
            )
            return AllNotificationsReadPayload(marked=marked, unread_count=0)

        return await run_mutation(info, None, run)

    @strawberry.mutation(
        description="Turn one kind of notification on or off on one channel (at once)."
    )
    async def set_notification_preference(
        self,
        info: Info[Context, Any],
        kind: str,
        channel: NotificationChannel,
        enabled: bool,
    ) -> ChoiceResult:
        async def run(actor: Actor) -> NotificationChoicePayload:
            await preferences.choose(
                info.context.session,
                user_id=actor.user_id,
                kind=kind,
                channel=Channel(channel.value),
                enabled=enabled,
            )
            return NotificationChoicePayload(choices=await choices_of(info, actor))

        return await run_mutation(info, None, run)
