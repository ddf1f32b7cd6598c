"""Capture sessions, deposits and their media items."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id, utcnow


class CaptureKind(StrEnum):
    PHOTOS = "PHOTOS"
    VIDEO = "VIDEO"
    SCREEN = "SCREEN"


class DepositStatus(StrEnum):
    DRAFT = "DRAFT"
    SEALED = "SEALED"
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    DELETED = "DELETED"


class ItemStatus(StrEnum):
    STAGED = "STAGED"
    STORED = "STORED"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class Deposit(TenantMixin, Base):
    __tablename__ = "deposits"
    __table_args__ = (Index("ix_deposits_org_created", "organisation_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    author_membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT"), index=True
    )
    author_user_id: Mapped[uuid.UUID | None]
    kind: Mapped[CaptureKind] = mapped_column(_enum(CaptureKind, "deposit_kind"))
    status: Mapped[DepositStatus] = mapped_column(_enum(DepositStatus, "deposit_status"))
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    floor: Mapped[str] = mapped_column(String(40), default="", server_default="")
    flat: Mapped[str] = mapped_column(String(40), default="", server_default="")
    building: Mapped[str] = mapped_column(String(100), default="", server_default="")
    address_details: Mapped[str] = mapped_column(String(500), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    signature_name: Mapped[str | None] = mapped_column(String(200))
    signature_png: Mapped[bytes | None]
    # The language the deposit was sealed in (its certified report follows it).
    locale: Mapped[str | None] = mapped_column(String(5))
    credits_spent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]
    sealed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class CaptureSession(TenantMixin, Base):
    """A live, time-boxed capture by one member: the only door through which media enters."""

    __tablename__ = "capture_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    # The deposit exists from the first staged item on (no empty drafts): until then
    # `deposit_id` is NULL and the id and reference announced at start are kept here.
    deposit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), index=True
    )
    planned_deposit_id: Mapped[uuid.UUID | None]
    planned_reference: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[CaptureKind] = mapped_column(_enum(CaptureKind, "capture_kind"))
    nonce: Mapped[str] = mapped_column(String(64))
    max_items: Mapped[int] = mapped_column(Integer)
    max_video_seconds: Mapped[int] = mapped_column(Integer)
    max_photo_bytes: Mapped[int] = mapped_column(BigInteger)
    max_video_bytes: Mapped[int] = mapped_column(BigInteger)
    location_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    @property
    def announced_deposit_id(self) -> uuid.UUID:
        """The deposit's id as announced at start (its row may not exist yet)."""
        announced = self.deposit_id or self.planned_deposit_id
        assert announced is not None  # sessions have one or the other
        return announced


class EvidenceItem(TenantMixin, Base):
    """One photo or video: what the client declared, and what the server found and stored."""

    __tablename__ = "evidence_items"
    # The blob collector asks "does anyone still point at this key?" for every tenant at once.
    __table_args__ = (
        Index("ix_evidence_items_blob_key", "blob_key"),
        Index("ix_evidence_items_thumbnail_key", "thumbnail_key"),
        Index("ix_evidence_items_declared_sha256", "declared_sha256"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    deposit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), index=True
    )
    capture_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("capture_sessions.id", ondelete="CASCADE")
    )
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus, "item_status"))
    upload_token_hash: Mapped[str] = mapped_column(String(64))
    declared_sha256: Mapped[str] = mapped_column(String(64))
    declared_size: Mapped[int] = mapped_column(BigInteger)
    declared_content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(40))
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    blob_key: Mapped[str | None] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    captured_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)
    clock_skew_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_meters: Mapped[float | None] = mapped_column(Float)
    location_fixed_at: Mapped[datetime | None]
    no_location_reason: Mapped[str | None] = mapped_column(String(40))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class ReleasedBlob(Base):
    """A stored blob that lost a reference: the collector looks at it after a grace period.

    Blobs are shared by content across tenants, so no tenant action deletes one; it only
    records the release here. Only the schema owner's functions read or write this table.
    """

    __tablename__ = "released_blobs"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
