"""Batches of sealed items, their leaves, their chain anchors, and the certified reports.

`integrity_leaves`, `integrity_batches` and `integrity_anchors` are platform-wide: a batch
mixes every tenant's items. They hold only what the public `/verify` page may show (hashes,
times, a deposit reference, a place rounded to about 1 km) — never a name, a title or the
media. What identifies people lives in the tenant-owned `sealed_records` and `certificates`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id, utcnow


class Leaf(Base):
    """One sealed item waiting in the open batch (`batch_id` null) or placed in a closed one."""

    __tablename__ = "integrity_leaves"

    # The join order: leaves of a batch are ordered by this number (docs/verification.md).
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    # No foreign key: a leaf outlives its deposit (the batch root needs it). No organisation
    # either: this table is platform-wide; the tenant is found through sealed_records.
    deposit_id: Mapped[uuid.UUID] = mapped_column(index=True)
    deposit_reference: Mapped[str] = mapped_column(String(32), index=True)
    item_sha256: Mapped[str] = mapped_column(String(64), index=True)
    record_sha256: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime]
    approximate_latitude: Mapped[float | None] = mapped_column(Float)
    approximate_longitude: Mapped[float | None] = mapped_column(Float)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("integrity_batches.id", ondelete="RESTRICT"), index=True
    )
    leaf_index: Mapped[int | None] = mapped_column(Integer)


class Batch(Base):
    """A closed batch: the Merkle root of its leaves, chained to the previous batch's root."""

    __tablename__ = "integrity_batches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    sequence: Mapped[int] = mapped_column(BigInteger, unique=True)
    root: Mapped[str] = mapped_column(String(64), unique=True)
    previous_root: Mapped[str] = mapped_column(String(64))
    leaf_count: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime]


class AnchorStatus(StrEnum):
    SIGNED = "SIGNED"  # the signed transaction is stored; it may or may not have been sent
    SENT = "SENT"  # the node accepted it; waiting for it to be mined
    CONFIRMED = "CONFIRMED"  # mined; block recorded


class Anchor(Base):
    """The one transaction that writes a batch's root on the chain (one per batch, ever)."""

    __tablename__ = "integrity_anchors"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integrity_batches.id", ondelete="RESTRICT"), unique=True
    )
    chain_id: Mapped[int] = mapped_column(BigInteger)
    development: Mapped[bool] = mapped_column(Boolean)
    sender: Mapped[str] = mapped_column(String(42))
    nonce: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66), unique=True)
    raw_transaction: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[AnchorStatus] = mapped_column(
        Enum(AnchorStatus, name="anchor_status", native_enum=False, length=16)
    )
    block_number: Mapped[int | None] = mapped_column(BigInteger)
    block_hash: Mapped[str | None] = mapped_column(String(66))
    block_time: Mapped[datetime | None]
    confirmations: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]


class SealedRecord(TenantMixin, Base):
    """The exact text whose SHA-256 is an item's leaf input: its sealed facts, frozen."""

    __tablename__ = "sealed_records"

    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True
    )
    deposit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), index=True
    )
    record: Mapped[str] = mapped_column(Text)
    record_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(TenantMixin, Base):
    """A deposit's certified report: the signed PDF, where it is stored, whom it was sent to."""

    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    deposit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deposits.id", ondelete="CASCADE"), unique=True
    )
    locale: Mapped[str] = mapped_column(String(5))
    blob_key: Mapped[str | None] = mapped_column(String(200))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    emailed_at: Mapped[datetime | None]


class PdfVersion(TenantMixin, Base):
    """One archived version of a signed PDF (certified report or office document).

    Version 0 is the PDF as signed: its SHA-256 is the one bundles, the public register and
    emails name, and it is never replaced. Each renewal (PAdES B-LTA) appends the validation
    data of the newest timestamp and a new document timestamp as an incremental update, so
    every version starts with the bytes of the one before — down to the sealed original,
    whose hash a verifier finds on a prefix of any later version (docs/evidence-storage.md).
    """

    __tablename__ = "pdf_versions"
    __table_args__ = (
        UniqueConstraint("certificate_id", "version"),
        UniqueConstraint("office_document_id", "version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # One of the two is set (the job writes them; the catalogue-generated row-level-security
    # sweep inserts rows with neither, so no CHECK constraint here).
    certificate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE")
    )
    office_document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("office_documents.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    # When the newest timestamp of this version stops being checkable (its TSA certificate
    # expires); null for a PDF that carries no timestamp to extend.
    valid_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublishedKind(StrEnum):
    CERTIFIED_REPORT = "CERTIFIED_REPORT"
    ATTESTATION = "ATTESTATION"
    CONSTAT = "CONSTAT"


class PublishedDocument(Base):
    """A signed PDF the platform or an office issued, registered by its SHA-256 so that the
    public `/verify` page recognises it when someone drops it (platform-wide, append-only).

    Holds only what a holder of the PDF already reads on it and what the public directory
    says: the kind, the deposit reference, the signer's name (an office, or the platform) and
    certificate fingerprint, the time — never the tenant, the author or the content.
    """

    __tablename__ = "published_documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[PublishedKind] = mapped_column(
        Enum(PublishedKind, name="published_kind", native_enum=False, length=24)
    )
    deposit_reference: Mapped[str] = mapped_column(String(32), index=True)
    locale: Mapped[str] = mapped_column(String(5))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    """When it was issued (for a renewed version: when the renewal was made)."""
    renewal_of: Mapped[str | None] = mapped_column(String(64))
    """For a version renewed by the B-LTA job: the SHA-256 of the document as signed."""
    renewal: Mapped[int | None] = mapped_column(Integer)
    """For a renewed version: its number (1 for the first renewal, …)."""


class BatchTimestamp(Base):
    """An RFC 3161 token over a batch root (the root itself is the SHA-256 message imprint)."""

    __tablename__ = "integrity_batch_timestamps"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integrity_batches.id", ondelete="RESTRICT"), unique=True
    )
    token: Mapped[bytes] = mapped_column(LargeBinary)
    """DER TimeStampToken (CMS ContentInfo), as the authority returned it."""
    generated_at: Mapped[datetime]
    development: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BatchRetimestamp(Base):
    """A later RFC 3161 token over a batch root under a stronger hash: its message imprint is
    `hash(root ‖ previous token)`, the previous token being the batch's first token or its
    retimestamp before this one (`position` - 1), so the chain of tokens keeps the first
    date provable once SHA-256 or the first authority's key weakens."""

    __tablename__ = "integrity_batch_retimestamps"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integrity_batches.id", ondelete="RESTRICT")
    )
    position: Mapped[int] = mapped_column(Integer)
    """1 for the token over the first token, 2 for the one over that, …"""
    hash_algorithm: Mapped[str] = mapped_column(String(16))
    token: Mapped[bytes] = mapped_column(LargeBinary)
    generated_at: Mapped[datetime]
    development: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
