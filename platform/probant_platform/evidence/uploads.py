"""Receiving a staged item's bytes: stream to storage while hashing, then validate by content.

Three steps, so that a slow client never holds a database connection while its body
trickles in: `authorise_upload` (one short transaction), `store_upload` (no transaction:
spooling, hashing and inspection in the decoding pool) and `record_upload` (one short
transaction that locks the item and writes its facts).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings, get_settings
from probant_platform.db import utcnow
from probant_platform.evidence.capture import check_live, token_digest
from probant_platform.evidence.errors import CaptureSessionExpired
from probant_platform.evidence.media import (
    ImageLimits,
    MediaFacts,
    MediaRejected,
    decoding_pool,
    image_limits,
    inspect_media,
)
from probant_platform.evidence.media.pool import DecodingPool
from probant_platform.evidence.models import (
    CaptureKind,
    CaptureSession,
    Deposit,
    EvidenceItem,
    ItemStatus,
)
from probant_platform.jobs import enqueue
from probant_platform.storage import BlobStore, StoredBlob, UploadRejected

CLOCK_TOLERANCE = timedelta(minutes=2)
STATUS_OF = {"TOO_LARGE": 413, "UNSUPPORTED_MEDIA": 415, "IMAGE_TOO_LARGE": 422}


class UploadRefused(Exception):
    """An upload the contract refuses; `code` is what the client sees."""

    def __init__(self, code: str, status: int = 400):
        super().__init__(code)
        self.code, self.status = code, status


@dataclass(frozen=True)
class UploadGrant:
    """What the first transaction established: this upload may proceed, within these bounds."""

    item_id: uuid.UUID
    membership_id: uuid.UUID
    photo: bool
    max_bytes: int
    max_video_seconds: float
    declared_sha256: str | None


async def _checked_item(
    *, session: AsyncSession, item_id: uuid.UUID, token: str, membership_id: uuid.UUID, lock: bool
) -> tuple[EvidenceItem, bool, int, float]:
    # The item, its capture session and the session's draft in one statement (the item
    # locked when recording): `check_live` applies `live_session`'s rules to them.
    query = (
        select(EvidenceItem, CaptureSession, Deposit)
        .outerjoin(CaptureSession, CaptureSession.id == EvidenceItem.capture_session_id)
        .outerjoin(Deposit, Deposit.id == CaptureSession.deposit_id)
        .where(EvidenceItem.id == item_id)
    )
    if lock:
        query = query.with_for_update(of=EvidenceItem).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    if row is None or token_digest(token) != row[0].upload_token_hash:
        raise UploadRefused("NOT_ALLOWED", 403)
    item = row[0]
    if item.status is ItemStatus.STORED:
        raise UploadRefused("ALREADY_UPLOADED", 409)
    try:
        capture = check_live(row[1], row[2], membership_id)
    except CaptureSessionExpired as exc:
        raise UploadRefused("SESSION_EXPIRED", 410) from exc
    photo = capture.kind is CaptureKind.PHOTOS
    limit = capture.max_photo_bytes if photo else capture.max_video_bytes
    return item, photo, limit, capture.max_video_seconds


async def authorise_upload(
    *, session: AsyncSession, item_id: uuid.UUID, token: str, membership_id: uuid.UUID
) -> UploadGrant:
    """May this member upload this item now? (No lock is kept: the record step re-checks.)"""
    item, photo, limit, seconds = await _checked_item(
        session=session, item_id=item_id, token=token, membership_id=membership_id, lock=False
    )
    return UploadGrant(item.id, membership_id, photo, limit, seconds, item.declared_sha256)


async def store_upload(
    *,
    store: BlobStore,
    grant: UploadGrant,
    chunks: AsyncIterator[bytes],
    pool: DecodingPool,
    limits: ImageLimits,
) -> tuple[StoredBlob, MediaFacts]:
    """Spool, hash and inspect the body; only accepted media becomes a blob."""
    found: list[MediaFacts] = []

    def check(path: Path) -> None:
        # Runs on the complete file before it is stored: a refusal leaves no blob behind.
        found.append(
            pool.run_blocking(
                inspect_media,
                path=path,
                kind="photo" if grant.photo else "video",
                max_video_seconds=grant.max_video_seconds,
                limits=limits,
            )
        )

    try:
        blob = await store.put_stream(
            chunks=chunks,
            max_bytes=grant.max_bytes,
            expected_sha256=grant.declared_sha256,
            check=check,
        )
    except UploadRejected as exc:
        raise UploadRefused(exc.reason, STATUS_OF.get(exc.reason, 400)) from exc
    except MediaRejected as exc:
        raise UploadRefused(exc.reason, STATUS_OF.get(exc.reason, 400)) from exc
    return blob, found[0]


async def record_upload(
    *,
    session: AsyncSession,
    grant: UploadGrant,
    token: str,
    blob: StoredBlob,
    facts: MediaFacts,
    received_at: datetime | None = None,
) -> EvidenceItem:
    """Lock the item, check again that it still awaits these bytes, and record their facts."""
    item, *_ = await _checked_item(
        session=session,
        item_id=grant.item_id,
        token=token,
        membership_id=grant.membership_id,
        lock=True,
    )
    now = received_at or utcnow()
    skew = (item.captured_at - now).total_seconds()
    item.status, item.sha256, item.size, item.blob_key = (
        ItemStatus.STORED,
        blob.sha256,
        blob.size,
        blob.key,
    )
    item.media_type, item.width, item.height = facts.media_type, facts.width, facts.height
    item.duration_seconds, item.received_at = facts.duration_seconds, now
    item.clock_skew_seconds = round(skew, 3)
    item.clock_skew_flagged = abs(skew) > CLOCK_TOLERANCE.total_seconds()
    await session.flush()
    await enqueue(
        session,
        "evidence.make_preview",
        organisation_id=str(item.organisation_id),
        item_id=str(item.id),
    )
    return item


async def receive_upload(
    *,
    session: AsyncSession,
    store: BlobStore,
    item_id: uuid.UUID,
    token: str,
    membership_id: uuid.UUID,
    chunks: AsyncIterator[bytes],
    settings: Settings | None = None,
) -> EvidenceItem:
    """The three steps in one session, for bodies already in hand (the demo seeding)."""
    settings = settings or get_settings()
    grant = await authorise_upload(
        session=session, item_id=item_id, token=token, membership_id=membership_id
    )
    blob, facts = await store_upload(
        store=store,
        grant=grant,
        chunks=chunks,
        pool=decoding_pool(settings),
        limits=image_limits(settings),
    )
    return await record_upload(session=session, grant=grant, token=token, blob=blob, facts=facts)
