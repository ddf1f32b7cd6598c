"""Receiving a staged item's bytes: stream to storage while hashing, then validate by content."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.evidence.capture import live_session, token_digest
from probant_platform.evidence.media import MediaFacts, MediaRejected, inspect_media
from probant_platform.evidence.models import CaptureKind, EvidenceItem, ItemStatus
from probant_platform.jobs import enqueue
from probant_platform.storage import BlobStore, UploadRejected

CLOCK_TOLERANCE = timedelta(minutes=2)


class UploadRefused(Exception):
    """An upload the contract refuses; `code` is what the client sees."""

    def __init__(self, code: str, status: int = 400):
        super().__init__(code)
        self.code, self.status = code, status


async def receive_upload(
    *,
    session: AsyncSession,
    store: BlobStore,
    item_id: uuid.UUID,
    token: str,
    membership_id: uuid.UUID,
    chunks: AsyncIterator[bytes],
) -> EvidenceItem:
    """Store and validate one item; on any refusal nothing remains (no blob, no item data)."""
    item = await session.get(EvidenceItem, item_id, with_for_update=True)
    if item is None or token_digest(token) != item.upload_token_hash:
        raise UploadRefused("NOT_ALLOWED", 403)
    if item.status is ItemStatus.STORED:
        raise UploadRefused("ALREADY_UPLOADED", 409)
    try:
        capture = await live_session(
            session=session, capture_session_id=item.capture_session_id, membership_id=membership_id
        )
    except Exception as exc:
        raise UploadRefused("SESSION_EXPIRED", 410) from exc
    photo = capture.kind is CaptureKind.PHOTOS
    limit = capture.max_photo_bytes if photo else capture.max_video_bytes
    found: list[MediaFacts] = []

    def check(path: Path) -> None:
        # Runs on the complete file before it is stored: a refusal leaves no blob behind.
        found.append(
            inspect_media(
                path=path,
                kind="photo" if photo else "video",
                max_video_seconds=capture.max_video_seconds,
            )
        )

    try:
        blob = await store.put_stream(
            chunks=chunks, max_bytes=limit, expected_sha256=item.declared_sha256, check=check
        )
    except UploadRejected as exc:
        raise UploadRefused(exc.reason, 413 if exc.reason == "TOO_LARGE" else 400) from exc
    except MediaRejected as exc:
        raise UploadRefused(exc.reason, 415 if exc.reason == "UNSUPPORTED_MEDIA" else 400) from exc
    facts = found[0]
    now = utcnow()
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
