"""The inbox (`notifications`, `unreadNotificationCount`), read marks, and preferences per
channel and kind. Each person sees only their own notifications in the organisation they
are acting in (row-level security checks it too)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlsplit

import strawberry
from sqlalchemy import func, select, update
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.ids import decode_id
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.permissions import require
from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.notifications import kinds, preferences, push
from probant_platform.notifications.models import Channel, PushSubscription
from probant_platform.notifications.models import Notification as NotificationModel
from probant_tenants.context import Actor
from probant_tenants.models import OrganisationKind, User


@strawberry.enum(name="NotificationChannel", description="Where a notification is delivered.")
class NotificationChannel(Enum):
    INBOX = "INBOX"
    EMAIL = "EMAIL"
    PUSH = "PUSH"


@strawberry.type(name="Notification")
class Notification(relay.Node):
    notification_id: relay.NodeID[str]
    kind: str = strawberry.field(description="The event type, e.g. `submission.accepted`.")
    title: str = strawberry.field(description="What happened, in the reader's language.")
    link: str | None = strawberry.field(
        description="The web app's route for the object (e.g. `/deposits/<id>`)."
    )
    created_at: datetime
    read_at: datetime | None

    @strawberry.field
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def from_model(cls, row: NotificationModel, locale: str) -> Notification:
        return cls(
            notification_id=str(row.id),
            kind=row.kind,
            title=kinds.title(row.kind, _localised(row.data, locale), locale),
            link=kinds.link(row.kind, row.data),
            created_at=row.created_at,
            read_at=row.read_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[Notification | None]:
        return [None for _ in node_ids]  # read through `notifications` only


def _localised(data: dict[str, Any], locale: str) -> dict[str, Any]:
    values = dict(data)
    reason = data.get("reason_en" if locale == "en" else "reason_fr")
    if reason:
        values["reason"] = reason
    return values


@strawberry.type(description="Whether one kind of notification is sent on one channel.")
class NotificationChoice:
    kind: str
    channel: NotificationChannel
    enabled: bool


@strawberry.type
class NotificationReadPayload:
    notification: Notification
    unread_count: int


@strawberry.type
class AllNotificationsReadPayload:
    marked: int
    unread_count: int


@strawberry.type
class NotificationChoicePayload:
    choices: list[NotificationChoice]


@strawberry.type(description="A browser that receives your push notifications.")
class PushDevice:
    id: strawberry.ID
    endpoint_origin: str = strawberry.field(description="The push service (scheme and host).")
    user_agent: str
    created_at: datetime
    last_success_at: datetime | None

    @classmethod
    def from_model(cls, row: PushSubscription) -> PushDevice:
        parts = urlsplit(row.endpoint)
        return cls(
            id=strawberry.ID(str(row.id)),
            endpoint_origin=f"{parts.scheme}://{parts.netloc}",
            user_agent=row.user_agent,
            created_at=row.created_at,
            last_success_at=row.last_success_at,
        )


@strawberry.type
class PushSubscriptionPayload:
    device: PushDevice


@strawberry.type
class PushSubscriptionRemoved:
    removed: bool


@strawberry.type(description="Push notifications are not configured on this server.")
class PushUnavailable(Error):
    pass


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


class NotificationNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Cette notification n'existe pas."
    message_en = "This notification does not exist."


def _mine(actor: Actor) -> Any:
    return (
        NotificationModel.organisation_id == actor.organisation_id,
        NotificationModel.user_id == actor.user_id,
        NotificationModel.channel == Channel.INBOX,
    )


async def _unread(info: Info[Context, Any], actor: Actor) -> int:
    count = await info.context.session.execute(
        select(func.count())
        .select_from(NotificationModel)
        .where(*_mine(actor), NotificationModel.read_at.is_(None))
    )
    return int(count.scalar_one())


OFFICE_GROUPS = {"clerks", "commissaires"}


def _concerns(kind: str, actor: Actor) -> bool:
    """Office kinds in an office, the others elsewhere (a choice is the person's anyway)."""
    office = actor.organisation_kind is OrganisationKind.BAILIFF_OFFICE
    return office == bool(OFFICE_GROUPS & set(kinds.KINDS[kind].recipients))


async def _choices(info: Info[Context, Any], actor: Actor) -> list[NotificationChoice]:
    user = await info.context.session.get(User, actor.user_id)
    assert user is not None
    return [
        NotificationChoice(
            kind=c.kind, channel=NotificationChannel(c.channel.value), enabled=c.enabled
        )
        for c in await preferences.choices(info.context.session, user)
        if _concerns(c.kind, actor)
    ]


def _error(exc: DomainError, locale: str) -> Error:
    if isinstance(exc, preferences.UnknownKind):
        return InvalidInput(message=exc.message(locale), field="kind")
    if isinstance(exc, push.InvalidSubscription):
        field = {"p256dh": "p256dh", "auth": "auth", "keys": "p256dh"}.get(
            str(exc.params.get("reason")), "endpoint"
        )
        return InvalidInput(message=exc.message(locale), field=field)
    if isinstance(exc, push.PushUnavailable):
        return PushUnavailable(message=exc.message(locale))
    return NotFound(message=exc.message(locale))


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
        query = select(NotificationModel).where(*_mine(actor))
        if unread_only:
            query = query.where(NotificationModel.read_at.is_(None))
        rows = (
            (
                await info.context.session.execute(
                    newest_first(
                        query,
                        created=NotificationModel.created_at,
                        ident=NotificationModel.id,
                        after=after,
                        first=first,
                    )
                )
            )
            .scalars()
            .all()
        )
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda r: encode_cursor(r.created_at, r.id),
            to_node=lambda r: Notification.from_model(r, actor.locale),
        )

    @strawberry.field(description="How many of your notifications are unread (for the bell).")
    async def unread_notification_count(self, info: Info[Context, Any]) -> int:
        return await _unread(info, await require(info))

    @strawberry.field(
        description="Every kind of notification that concerns your organisation × channel, "
        "with your choice (or the default: inbox on, email on, push off)."
    )
    async def notification_choices(self, info: Info[Context, Any]) -> list[NotificationChoice]:
        return await _choices(info, await require(info))

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


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Store this browser's push subscription (PushSubscription.toJSON()) for you."
    )
    async def register_push_subscription(
        self, info: Info[Context, Any], endpoint: str, p256dh: str, auth: str
    ) -> RegisterPushResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> PushSubscriptionPayload:
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

        return await in_savepoint(info, run, locale=actor.locale, errors=_error)  # type: ignore[return-value]

    @strawberry.mutation(description="Stop push notifications to this browser.")
    async def remove_push_subscription(
        self, info: Info[Context, Any], endpoint: str
    ) -> RemovePushResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        removed = await push.unsubscribe(
            info.context.session, user_id=actor.user_id, endpoint=endpoint
        )
        return PushSubscriptionRemoved(removed=removed)

    @strawberry.mutation(description="Mark one of your notifications read.")
    async def mark_notification_read(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> ReadResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> NotificationReadPayload:
            notification_id = decode_id(str(id), "Notification")
            row = None
            if notification_id is not None:
                row = (
                    await info.context.session.execute(
                        select(NotificationModel).where(
                            *_mine(actor), NotificationModel.id == notification_id
                        )
                    )
                ).scalar_one_or_none()
            if row is None:
                raise NotificationNotFound()
            if row.read_at is None:
                row.read_at = utcnow()
                await info.context.session.flush()
            return NotificationReadPayload(
                notification=Notification.from_model(row, actor.locale),
                unread_count=await _unread(info, actor),
            )

        return await in_savepoint(info, run, locale=actor.locale, errors=_error)  # type: ignore[return-value]

    @strawberry.mutation(description="Mark all your notifications in this organisation read.")
    async def mark_all_notifications_read(self, info: Info[Context, Any]) -> AllReadResult:
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        marked = await info.context.session.execute(
            update(NotificationModel)
            .where(*_mine(actor), NotificationModel.read_at.is_(None))
            .values(read_at=utcnow())
        )
        return AllNotificationsReadPayload(
            marked=int(getattr(marked, "rowcount", 0) or 0), unread_count=0
        )

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
        actor = await authorise_mutation(info, None)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> NotificationChoicePayload:
            await preferences.choose(
                info.context.session,
                user_id=actor.user_id,
                kind=kind,
                channel=Channel(channel.value),
                enabled=enabled,
            )
            return NotificationChoicePayload(choices=await _choices(info, actor))

        return await in_savepoint(info, run, locale=actor.locale, errors=_error)  # type: ignore[return-value]
