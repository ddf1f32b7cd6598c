"""In-app notifications (one row per event, recipient and channel) and preferences."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Channel(StrEnum):
    INBOX = "INBOX"
    EMAIL = "EMAIL"
    PUSH = "PUSH"


class Notification(TenantMixin, Base):
    """What one person was told about one event on one channel. The unique (event, user,
    channel) is the idempotency key: a retried fan-out never tells anyone twice. INBOX rows
    are the in-app inbox (in the organisation where the reader works); EMAIL and PUSH rows
    record that the message was handed to its job."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "channel"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, name="notification_channel", native_enum=False, length=16)
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """A person's choice for one kind of event on one channel (absent: the default)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, name="notification_channel", native_enum=False, length=16),
        primary_key=True,
    )
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class PushSubscription(Base):
    """One browser's push subscription (RFC 8030) for a person; a person may have several
    devices. Removed when the push service says it is gone (404/410)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(String(2000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(120))
    auth: Mapped[str] = mapped_column(String(60))
    user_agent: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime]
    last_success_at: Mapped[datetime | None]
