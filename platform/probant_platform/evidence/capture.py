"""Opening a capture session and staging its uploads."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.evidence.errors import (
    BatchItemRefused,
    BatchSizeRefused,
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
MAX_BATCH = MAX_PHOTOS  # items one `stage_uploads` call may stage: a whole photo session


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    accuracy_meters: float
    fixed_at: datetime | None


@dataclass(frozen=True)
class UploadRequest:
    """What the client declares about one item before sending its bytes."""

    sha256: str
    size: int
    content_type: str
    captured_at: datetime
    location: Location | None
    no_location_reason: str | None


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
    """Open a live capture and the limits that apply. Its deposit's id and reference are
    announced now, but the draft is created with the first staged item: a capture left
    without any item leaves no deposit behind."""
    if not email_verified:
        raise EmailNotVerified()
    now = utcnow()
    capture = CaptureSession(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        membership_id=membership_id,
        deposit_id=None,
        planned_deposit_id=uuid.uuid4(),
        planned_reference=new_reference(),
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


def planned_deposit(capture: CaptureSession, author_user_id: uuid.UUID | None) -> Deposit:
    """The draft a session announces (not added to the database session)."""
    assert capture.planned_deposit_id is not None and capture.planned_reference is not None
    return Deposit(
        id=capture.planned_deposit_id,
        organisation_id=capture.organisation_id,
        reference=capture.planned_reference,
        author_membership_id=capture.membership_id,
        author_user_id=author_user_id,
        kind=capture.kind,
        status=DepositStatus.DRAFT,
        title="",
        credits_spent=0,
        created_at=capture.created_at,
    )


async def _ensure_deposit(
    session: AsyncSession, capture: CaptureSession, author_user_id: uuid.UUID | None
) -> uuid.UUID:
    """The session's draft, created with its first item (two first items at once: one row)."""
    if capture.deposit_id is None:
        draft = planned_deposit(capture, author_user_id)
        values = {
            column.key: getattr(draft, column.key)
            for column in Deposit.__table__.columns
            if getattr(draft, column.key, None) is not None
        }
        await session.execute(insert(Deposit).values(**values).on_conflict_do_nothing())
        capture.deposit_id = draft.id
        await session.flush()
    return capture.deposit_id


async def create_announced_draft(
    *,
    session: AsyncSession,
    deposit_id: uuid.UUID,
    membership_id: uuid.UUID,
    author_user_id: uuid.UUID | None,
) -> None:
    """Details sent before the first item (`updateDeposit` with the announced id) create the
    draft then; nothing happens for any other id, or a session ended or not the member's."""
    found = await session.execute(
        select(CaptureSession).where(
            CaptureSession.planned_deposit_id == deposit_id,
            CaptureSession.deposit_id.is_(None),
            CaptureSession.membership_id == membership_id,
            CaptureSession.expires_at > utcnow(),
        )
    )
    capture = found.scalars().first()
    if capture is not None:
        await _ensure_deposit(session, capture, author_user_id)


async def live_session(
    *, session: AsyncSession, capture_session_id: uuid.UUID, membership_id: uuid.UUID
) -> CaptureSession:
    """The member's own unexpired session (another member's or tenant's is as good as absent)."""
    capture = await session.get(CaptureSession, capture_session_id)
    deposit = None
    if capture is not None and capture.deposit_id is not None:
        deposit = await session.get(Deposit, capture.deposit_id)
    return check_live(capture, deposit, membership_id)


def check_live(
    capture: CaptureSession | None, deposit: Deposit | None, membership_id: uuid.UUID
) -> CaptureSession:
    """`live_session`'s rules on rows already read: `capture` must be the member's, unexpired,
    and its draft (`deposit`, read by `capture.deposit_id`) still a draft."""
    if capture is None or capture.membership_id != membership_id or capture.expires_at <= utcnow():
        raise CaptureSessionExpired()
    # No draft yet (`deposit_id` unset) is fine: the draft comes with the first item.
    if capture.deposit_id is not None and (
        deposit is None or deposit.status is not DepositStatus.DRAFT
    ):
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
    author_user_id: uuid.UUID | None = None,
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
    deposit_id = await _ensure_deposit(session, capture, author_user_id)
    token = secrets.token_urlsafe(32)
    item = EvidenceItem(
        id=uuid.uuid4(),
        organisation_id=capture.organisation_id,
        deposit_id=deposit_id,
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


async def stage_uploads(
    *,
    session: AsyncSession,
    capture: CaptureSession,
    requests: list[UploadRequest],
    user_agent: str | None,
    author_user_id: uuid.UUID | None = None,
) -> list[StagedItem]:
    """Stage several items of one session with the single-item rules, in order; all or none.

    A refused item raises `BatchItemRefused` naming its index: the caller's savepoint (the
    mutation's) then undoes the items staged before it, so nothing of the batch remains."""
    if not 0 < len(requests) <= MAX_BATCH:
        raise BatchSizeRefused(limit=MAX_BATCH)
    staged = []
    for index, request in enumerate(requests):
        try:
            staged.append(
                await stage_upload(
                    session=session,
                    capture=capture,
                    sha256=request.sha256,
                    size=request.size,
                    content_type=request.content_type,
                    captured_at=request.captured_at,
                    location=request.location,
                    no_location_reason=request.no_location_reason,
                    user_agent=user_agent,
                    author_user_id=author_user_id,
                )
            )
        except DomainError as exc:
            raise BatchItemRefused(index=index, cause=exc) from exc
    return staged


async def _ensure_room(session: AsyncSession, capture: CaptureSession) -> None:
    if capture.deposit_id is None:
        return  # the first item
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
