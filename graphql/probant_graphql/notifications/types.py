"""Notification, choice and push device types."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_platform.notifications import kinds
from probant_platform.notifications.models import Notification as NotificationModel
from probant_platform.notifications.models import PushSubscription


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
