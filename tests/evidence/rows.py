"""Sealed deposits written straight as rows (two stored photos each), for tests that count
statements or fill a page without going through capture."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.evidence.models import (
    CaptureKind,
    CaptureSession,
    Deposit,
    DepositStatus,
    EvidenceItem,
    ItemStatus,
)


async def add_sealed_deposit(
    s: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID,
    reference_prefix: str,
    title: str,
    created_at: datetime,
    city: str = "",
    items: int = 2,
) -> Deposit:
    """A sealed deposit with `items` stored photos, in the session's tenant scope."""
    now = utcnow()
    deposit = Deposit(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        reference=f"{reference_prefix}-{secrets.token_hex(5)}",
        author_membership_id=membership_id,
        kind=CaptureKind.PHOTOS,
        status=DepositStatus.DRAFT,
        title=title,
        city=city,
        created_at=created_at,
    )
    s.add(deposit)
    await s.flush()
    capture = CaptureSession(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        membership_id=membership_id,
        deposit_id=deposit.id,
        kind=CaptureKind.PHOTOS,
        nonce="n",
        max_items=20,
        max_video_seconds=30,
        max_photo_bytes=1,
        max_video_bytes=1,
        location_required=False,
        created_at=now,
        expires_at=now,
    )
    s.add(capture)
    await s.flush()
    for position in range(items):
        digest = secrets.token_hex(32)
        s.add(
            EvidenceItem(
                organisation_id=organisation_id,
                deposit_id=deposit.id,
                capture_session_id=capture.id,
                status=ItemStatus.STORED,
                upload_token_hash="x" * 64,
                declared_sha256=digest,
                declared_size=10,
                declared_content_type="image/jpeg",
                sha256=digest,
                size=10,
                media_type="image/jpeg",
                blob_key=f"sha256/{digest}",
                captured_at=now,
                received_at=now,
                clock_skew_flagged=False,
                position=position,
                created_at=now,
            )
        )
    await s.flush()
    # Sealed once its items are in (the database refuses items added to a sealed deposit).
    deposit.status, deposit.sealed_at = DepositStatus.SEALED, now
    await s.flush()
    return deposit
