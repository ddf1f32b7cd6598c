"""The outbox of domain events: one row per thing that happened, written with the change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id

JSONType = JSON().with_variant(JSONB(), "postgresql")


class DomainEvent(TenantMixin, Base):
    """What happened to an organisation's objects, by id only (never media or personal data
    beyond ids), in the version of its payload schema. Consumers (webhooks, notifications)
    read it after the transaction commits."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_organisation_id_occurred_at", "organisation_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(64))
    # What makes the event unique ("deposit.sealed:<id>"), so a retried job publishes once.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
