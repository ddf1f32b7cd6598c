"""Bailiff offices' directory entries, submissions for review, constat orders, on-site requests.

An office is an organisation of kind BAILIFF_OFFICE; what only offices have (coordinates,
service area, prices, signing certificate) lives here keyed by `office_id`. Rows a tenant
owns carry `organisation_id` (the tenant) and `office_id` (the office they are addressed to):
the row-level-security policies let the office's staff see them, and no one else.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id

JSONType = JSON().with_variant(JSONB(), "postgresql")


class SubmissionStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    ACCEPTED = "ACCEPTED"
    PARTIALLY_ACCEPTED = "PARTIALLY_ACCEPTED"
    REJECTED = "REJECTED"


OPEN_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)


class RejectionReason(StrEnum):
    UNUSABLE_BLURRED = "UNUSABLE_BLURRED"
    UNUSABLE_EXPOSURE = "UNUSABLE_EXPOSURE"
    TERMS_SEXUAL = "TERMS_SEXUAL"
    TERMS_DISCRIMINATORY = "TERMS_DISCRIMINATORY"
    TERMS_DEFAMATORY = "TERMS_DEFAMATORY"
    TERMS_IMAGE_RIGHTS = "TERMS_IMAGE_RIGHTS"
    TERMS_ILLEGAL = "TERMS_ILLEGAL"
    OTHER = "OTHER"


class ConstatStatus(StrEnum):
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    AWAITING_VALIDATION = "AWAITING_VALIDATION"
    ISSUED = "ISSUED"
    CANCELLED = "CANCELLED"


class OnSiteStatus(StrEnum):
    REQUESTED = "REQUESTED"
    QUOTED = "QUOTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    REFUSED = "REFUSED"


class DocumentKind(StrEnum):
    ATTESTATION = "ATTESTATION"
    CONSTAT = "CONSTAT"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class BailiffOffice(Base):
    """An office's directory entry: where it is, what it serves, what it charges."""

    __tablename__ = "bailiff_offices"
    __table_args__ = (Index("ix_bailiff_offices_lat_lon", "latitude", "longitude"),)

    office_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    service_radius_km: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    accepts_deposits: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # NULL: the platform's default price (PROBANT_CONSTAT_PRICE_CENTS).
    constat_price_ttc_cents: Mapped[int | None] = mapped_column(Integer)
    contact_email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]


class OfficeCertificate(Base):
    """The office's signing key and certificate, the key encrypted with a derived secret."""

    __tablename__ = "office_certificates"

    office_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    pem: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(64))
    common_name: Mapped[str] = mapped_column(String(200))
    # The commissaire de justice the certificate is issued to (PVs are signed in their name).
    holder_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class OfficeProposal(TenantMixin, Base):
    """An office a member would like on the platform (their usual one), for the operators."""

    __tablename__ = "office_proposals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    proposed_by_user_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Submission(TenantMixin, Base):
    """A sealed deposit sent to an office for review: one per deposit."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_office_queue", "office_id", "status", "due_at"),
        UniqueConstraint("deposit_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    deposit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deposits.id", ondelete="CASCADE"))
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    submitted_by_membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    submitted_by_user_id: Mapped[uuid.UUID | None]
    # What the office needs to know of the requester, copied at submission: the office
    # cannot read the tenant's organisation or members.
    requester_name: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus, "submission_status"))
    credits_spent: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime]
    due_at: Mapped[datetime]
    claimed_by_user_id: Mapped[uuid.UUID | None]
    claimed_by_name: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[uuid.UUID | None]
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[RejectionReason | None] = mapped_column(
        _enum(RejectionReason, "rejection_reason")
    )
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    rejected_item_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    refunded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class OfficeDocument(TenantMixin, Base):
    """A signed PDF an office issued for a tenant (attestation de dépôt, PV de constat)."""

    __tablename__ = "office_documents"
    __table_args__ = (UniqueConstraint("kind", "subject_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind, "office_document_kind"))
    # The submission (attestation) or constat order (PV) the document is for.
    subject_id: Mapped[uuid.UUID]
    deposit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    blob_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ConstatOrder(TenantMixin, Base):
    """A request to convert a deposit into a PV de constat de dépôt, with the requester's
    legal identity as it will be printed."""

    __tablename__ = "constat_orders"
    __table_args__ = (Index("ix_constat_orders_office", "office_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    deposit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), index=True
    )
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    requested_by_membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    requested_by_user_id: Mapped[uuid.UUID | None]
    status: Mapped[ConstatStatus] = mapped_column(_enum(ConstatStatus, "constat_status"))
    legal_form: Mapped[str] = mapped_column(String(80))
    company_name: Mapped[str] = mapped_column(String(200))
    rcs_number: Mapped[str] = mapped_column(String(9))
    rcs_city: Mapped[str] = mapped_column(String(100))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    representative_first_name: Mapped[str] = mapped_column(String(100))
    representative_last_name: Mapped[str] = mapped_column(String(100))
    expose: Mapped[str] = mapped_column(Text)
    # The office may correct the text before it signs; NULL keeps the requester's.
    corrected_expose: Mapped[str | None] = mapped_column(Text)
    price_ttc_cents: Mapped[int] = mapped_column(Integer)
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[datetime | None]
    validated_at: Mapped[datetime | None]
    validated_by_user_id: Mapped[uuid.UUID | None]
    validated_by_name: Mapped[str | None] = mapped_column(String(200))
    issued_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class OnSiteRequest(TenantMixin, Base):
    """A request for a bailiff to come and draw up a constat on site; costs no credit."""

    __tablename__ = "onsite_requests"
    __table_args__ = (Index("ix_onsite_requests_office", "office_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    requested_by_user_id: Mapped[uuid.UUID | None]
    requester_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(320))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    address_details: Mapped[str] = mapped_column(String(500), default="", server_default="")
    description: Mapped[str] = mapped_column(Text)
    preferred_dates: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[OnSiteStatus] = mapped_column(_enum(OnSiteStatus, "onsite_status"))
    quote_ttc_cents: Mapped[int | None] = mapped_column(Integer)
    quote_valid_until: Mapped[datetime | None]
    appointment_at: Mapped[datetime | None]
    office_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime]
    quoted_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
