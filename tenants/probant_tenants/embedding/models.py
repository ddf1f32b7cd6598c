"""Publishable widget keys, secret API keys and the short-lived capture tokens they mint."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id

JSONType = JSON().with_variant(JSONB(), "postgresql")


class WidgetKey(TenantMixin, Base):
    """Publishable (`pk_…`): names the organisation and the origins allowed to embed the widget."""

    __tablename__ = "widget_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    allowed_origins: Mapped[list[str]] = mapped_column(JSONType)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiKey(TenantMixin, Base):
    """Secret (`sk_…`): shown once, stored as a SHA-256, used by the tenant's backend."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class CaptureToken(TenantMixin, Base):
    """A short-lived bearer (`pct_…`) that lets one member capture and seal, nothing else."""

    __tablename__ = "capture_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    widget_key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("widget_keys.id", ondelete="CASCADE")
    )
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
