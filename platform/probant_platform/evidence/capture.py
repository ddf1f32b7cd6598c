"""Opening a capture session and staging its uploads."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.evidence.errors import (
    CaptureSessionExpired,
    EmailNotVerified,
    InvalidText,
    ItemLimitReached,
    LocationRequired,
    WrongMediaKind,
)
from probant_platform.evidence.models import (
    CaptureKind,
    CaptureSession,
    Deposit,
    DepositStatus,
    EvidenceItem,
    ItemStatus,
)
from probant_platform.text import clean_line

SESSION_LIFETIME = timedelta(minutes=15)
STAGED_LIFETIME = timedelta(minutes=10)
MAX_PHOTOS, MAX_VIDEO_SECONDS = 20, 30
MAX_PHOTO_BYTES, MAX_VIDEO_BYTES = 25 * 1024 * 1024, 200 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
VIDEO_TYPES = {"video/webm", "video/mp4"}
NO_LOCATION_REASONS = {
    "PERMISSION_DENIED",
    "POSITION_UNAVAILABLE",
    "TIMEOUT",
    "UNSUPPORTED",
    "PENDING",
}
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    accuracy_meters: float
    fixed_at: datetime | None


@dataclass(frozen=True)
class StagedItem:
    item: EvidenceItem
    upload_token: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    return f"PRB-{utcnow().year}-{secrets.token_hex(4).upper()}"


async def start_capture(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID,
    user_id: uuid.UUID,
    email_verified: bool,
    kind: CaptureKind,
    location_required: bool = False,
) -> CaptureSession:
    """Open a live capture with its draft deposit and the limits that apply."""
    if not email_verified:
        raise EmailNotVerified()
    now = utcnow()
    deposit = Deposit(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        reference=new_reference(),
        author_membership_id=membership_id,
        author_user_id=user_id,
        kind=kind,
        status=DepositStatus.DRAFT,
        created_at=now,
    )
    session.add(deposit)
    await session.flush()
    capture = CaptureSession(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        membership_id=membership_id,
        deposit_id=deposit.id,
        kind=kind,
        nonce=secrets.token_urlsafe(24),
        max_items=MAX_PHOTOS if kind is CaptureKind.PHOTOS else 1,
        max_video_seconds=MAX_VIDEO_SECONDS,
        max_photo_bytes=MAX_PHOTO_BYTES,
        max_video_bytes=MAX_VIDEO_BYTES,
        location_required=location_required,
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(capture)
    await session.flush()
    return capture


async def live_session(
    *, session: AsyncSession, capture_session_id: uuid.UUID, membership_id: uuid.UUID
) -> CaptureSession:
    """The member's own unexpired session (another member's or tenant's is as good as absent)."""
    capture = await session.get(CaptureSession, capture_session_id)
    if capture is None or capture.membership_id != membership_id or capture.expires_at <= utcnow():
        raise CaptureSessionExpired()
    deposit = await session.get(Deposit, capture.deposit_id)
    if deposit is None or deposit.status is not DepositStatus.DRAFT:
        raise CaptureSessionExpired()
    return capture


async def stage_upload(
    *,
    session: AsyncSession,
    capture: CaptureSession,
    sha256: str,
    size: int,
    content_type: str,
    captured_at: datetime,
    location: Location | None,
    no_location_reason: str | None,
    user_agent: str | None,
) -> StagedItem:
    """Reserve a place for one item and the secret its upload must present."""
    content_type = content_type.split(";")[0].strip().lower()
    allowed = PHOTO_TYPES if capture.kind is CaptureKind.PHOTOS else VIDEO_TYPES
    if content_type not in allowed:
        raise WrongMediaKind()
    limit = (
        capture.max_photo_bytes if capture.kind is CaptureKind.PHOTOS else capture.max_video_bytes
    )
    if not SHA256_HEX.match(sha256.lower()) or not 0 < size <= limit:
        raise InvalidText(field="sha256/size")
    if location is None and capture.location_required:
        raise LocationRequired()
    if location is None and no_location_reason not in NO_LOCATION_REASONS:
        raise InvalidText(field="noLocationReason")
    if location is not None and not (
        -90 <= location.latitude <= 90
        and -180 <= location.longitude <= 180
        and 0 <= location.accuracy_meters <= 100_000
    ):
        raise InvalidText(field="location")
    await _ensure_room(session, capture)
    token = secrets.token_urlsafe(32)
    item = EvidenceItem(
        id=uuid.uuid4(),
        organisation_id=capture.organisation_id,
        deposit_id=capture.deposit_id,
        capture_session_id=capture.id,
        status=ItemStatus.STAGED,
        upload_token_hash=token_digest(token),
        declared_sha256=sha256.lower(),
        declared_size=size,
        declared_content_type=content_type,
        captured_at=captured_at,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        accuracy_meters=location.accuracy_meters if location else None,
        location_fixed_at=location.fixed_at if location else None,
        no_location_reason=None if location else no_location_reason,
        user_agent=clean_line(user_agent or "", max_length=400),
        created_at=utcnow(),
    )
    session.add(item)
    await session.flush()
    return StagedItem(item=item, upload_token=token)


async def _ensure_room(session: AsyncSession, capture: CaptureSession) -> None:
    # Staged items whose bytes never came stop counting after a while (a retried upload).
    fresh = utcnow() - STAGED_LIFETIME
    count = (
        await session.execute(
            select(func.count())
            .select_from(EvidenceItem)
            .where(
                EvidenceItem.deposit_id == capture.deposit_id,
                (EvidenceItem.status == ItemStatus.STORED) | (EvidenceItem.created_at > fresh),
            )
        )
    ).scalar_one()
    if count >= capture.max_items:
        raise ItemLimitReached(limit=capture.max_items)
