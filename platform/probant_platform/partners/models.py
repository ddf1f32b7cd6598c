"""An organisation's API clients (OAuth2 client credentials) and sk_ keys' backing clients."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id

JSONType = JSON().with_variant(JSONB(), "postgresql")


class ApiClient(TenantMixin, Base):
    """A machine that acts as its organisation through a membership of its own (role PARTNER),
    so whatever it creates names the client as its author."""

    __tablename__ = "api_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    # Set when the client stands for a legacy `sk_` API key used as a bearer token.
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), unique=True
    )
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    secret_rotated_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PersistedQuery(Base):
    """A GraphQL document by its SHA-256 (automatic persisted queries). Not tenant data: a
    query runs with the permissions of whoever sends its hash."""

    __tablename__ = "persisted_queries"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class QueryAllowList(TenantMixin, Base):
    """An organisation's partner query policy: when `enabled`, its API clients may only run
    the persisted queries whose hashes are listed."""

    __tablename__ = "query_allow_lists"

    # One policy per organisation: the mixin's index, made unique (a second index of the same
    # name would make the schema comparison depend on set order).
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True, unique=True
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    enabled: Mapped[bool] = mapped_column(Boolean)
    hashes: Mapped[list[str]] = mapped_column(JSONType)
    updated_at: Mapped[datetime]
