"""The clerk's side: the office's queue, claiming, re-checking files, accepting or rejecting.

Every function takes the office's id and finds submissions through it; row-level security
makes other offices' submissions, and every tenant's unsubmitted deposits, invisible anyway.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.errors import (
    AlreadyDecided,
    ClaimedByAnother,
    FileAltered,
    InvalidField,
    InvalidState,
    OfficesOnly,
    SubmissionNotFound,
)
from probant_platform.bailiffs.models import (
    OPEN_STATUSES,
    RejectionReason,
    Submission,
    SubmissionStatus,
)
from probant_platform.bailiffs.submissions import set_deposit_status
from probant_platform.db import utcnow
from probant_platform.events.outbox import publish
from probant_platform.evidence.deposits import stored_items
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem
from probant_platform.jobs import enqueue
from probant_platform.storage import BlobStore
from probant_platform.text import clean_paragraph
from probant_tenants.context import Actor
from probant_tenants.models import OrganisationKind

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Clerk:
    office_id: uuid.UUID
    user_id: uuid.UUID
    name: str


def clerk_of(actor: Actor) -> Clerk:
    """The acting member as a clerk of its office; `OfficesOnly` for a tenant's member."""
    if actor.organisation_kind is not OrganisationKind.BAILIFF_OFFICE:
        raise OfficesOnly()
    return Clerk(office_id=actor.organisation_id, user_id=actor.user_id, name=actor.full_name)


async def get_submission(
    *, session: AsyncSession, office_id: uuid.UUID, submission_id: uuid.UUID, lock: bool = False
) -> Submission:
    submission = await session.get(Submission, submission_id, with_for_update=lock)
    if submission is None or submission.office_id != office_id:
        raise SubmissionNotFound()
    return submission


def _open(submission: Submission, clerk: Clerk) -> None:
    if submission.status not in OPEN_STATUSES:
        raise AlreadyDecided()
    if submission.claimed_by_user_id not in (None, clerk.user_id):
        raise ClaimedByAnother(name=submission.claimed_by_name or "")


async def claim(*, session: AsyncSession, clerk: Clerk, submission_id: uuid.UUID) -> Submission:
    """Take a submission: other clerks see who reviews it; the author sees IN_REVIEW."""
    submission = await get_submission(
        session=session, office_id=clerk.office_id, submission_id=submission_id, lock=True
    )
    _open(submission, clerk)
    submission.status = SubmissionStatus.IN_REVIEW
    submission.claimed_by_user_id, submission.claimed_by_name = clerk.user_id, clerk.name
    submission.claimed_at = utcnow()
    await set_deposit_status(
        session=session, deposit_id=submission.deposit_id, status=submission.status
    )
    return submission


async def unclaim(*, session: AsyncSession, clerk: Clerk, submission_id: uuid.UUID) -> Submission:
    submission = await get_submission(
        session=session, office_id=clerk.office_id, submission_id=submission_id, lock=True
    )
    _open(submission, clerk)
    submission.status = SubmissionStatus.SUBMITTED
    submission.claimed_by_user_id = submission.claimed_by_name = submission.claimed_at = None
    await set_deposit_status(
        session=session, deposit_id=submission.deposit_id, status=submission.status
    )
    return submission


@dataclass(frozen=True)
class FileCheck:
    item_id: uuid.UUID
    expected_sha256: str
    actual_sha256: str | None
    checked_at: datetime

    @property
    def matches(self) -> bool:
        return self.actual_sha256 == self.expected_sha256


async def check_files(
    *, session: AsyncSession, store: BlobStore, deposit_id: uuid.UUID
) -> list[FileCheck]:
    """Re-hash every stored file of the deposit now, and compare with the sealed hash."""
    checks = []
    for item in await stored_items(session=session, deposit_id=deposit_id):
        actual = None
        if item.blob_key and await store.exists(item.blob_key):
            digest = hashlib.sha256()
            async for chunk in store.open_stream(item.blob_key):
                digest.update(chunk)
            actual = digest.hexdigest()
        check = FileCheck(item.id, item.sha256 or "", actual, utcnow())
        if not check.matches:
            log.error("bailiffs.file_altered", item_id=str(item.id), deposit_id=str(deposit_id))
        checks.append(check)
    return checks


async def _decide(
    *,
    session: AsyncSession,
    clerk: Clerk,
    submission_id: uuid.UUID,
    store: BlobStore,
) -> tuple[Submission, list[EvidenceItem]]:
    submission = await get_submission(
        session=session, office_id=clerk.office_id, submission_id=submission_id, lock=True
    )
    _open(submission, clerk)
    deposit = await session.get(Deposit, submission.deposit_id)
    if deposit is None or deposit.status is DepositStatus.DELETED:
        raise InvalidState(status="DELETED")
    return submission, await stored_items(session=session, deposit_id=deposit.id)


async def _finish(
    session: AsyncSession, clerk: Clerk, submission: Submission, status: SubmissionStatus
) -> Submission:
    submission.status = status
    submission.decided_at, submission.decided_by_user_id = utcnow(), clerk.user_id
    submission.decided_by_name = clerk.name
    if submission.claimed_by_user_id is None:
        submission.claimed_by_user_id, submission.claimed_by_name = clerk.user_id, clerk.name
        submission.claimed_at = submission.decided_at
    await set_deposit_status(session=session, deposit_id=submission.deposit_id, status=status)
    accepted = status is SubmissionStatus.ACCEPTED
    await publish(
        session,
        organisation_id=submission.organisation_id,
        type="submission.accepted" if accepted else "submission.rejected",
        key=f"submission.decided:{submission.id}",
        data={
            "submission_id": submission.id,
            "deposit_id": submission.deposit_id,
            "office_id": submission.office_id,
            "status": status.value,
        },
    )
    await enqueue(
        session,
        "bailiffs.review_decided",
        organisation_id=str(submission.organisation_id),
        office_id=str(submission.office_id),
        submission_id=str(submission.id),
    )
    return submission


async def accept(
    *, session: AsyncSession, clerk: Clerk, submission_id: uuid.UUID, store: BlobStore
) -> Submission:
    """Accept every item, after re-checking that each stored file still matches its hash."""
    submission, _ = await _decide(
        session=session, clerk=clerk, submission_id=submission_id, store=store
    )
    checks = await check_files(session=session, store=store, deposit_id=submission.deposit_id)
    if not all(c.matches for c in checks):
        raise FileAltered()
    return await _finish(session, clerk, submission, SubmissionStatus.ACCEPTED)


async def reject(
    *,
    session: AsyncSession,
    clerk: Clerk,
    submission_id: uuid.UUID,
    store: BlobStore,
    reason: RejectionReason,
    comment: str,
    item_ids: list[uuid.UUID] | None,
) -> Submission:
    """Reject the deposit, or only some of its items (the others are then accepted).

    By default nothing is refunded; the decision job refunds when the tenant's plan says so.
    """
    cleaned = clean_paragraph(comment or "", max_length=2000)
    if cleaned is None:
        raise InvalidField(field="comment")
    if reason is RejectionReason.OTHER and not cleaned:
        raise InvalidField(field="comment")
    submission, items = await _decide(
        session=session, clerk=clerk, submission_id=submission_id, store=store
    )
    known = {item.id for item in items}
    chosen = set(item_ids or [])
    if chosen - known:
        raise InvalidField(field="itemIds")
    partial = bool(chosen) and chosen != known
    if partial:
        checks = await check_files(session=session, store=store, deposit_id=submission.deposit_id)
        kept = [c for c in checks if c.item_id not in chosen]
        if not all(c.matches for c in kept):
            raise FileAltered()
    submission.reason, submission.comment = reason, cleaned
    submission.rejected_item_ids = sorted(str(i) for i in (chosen if partial else known))
    status = SubmissionStatus.PARTIALLY_ACCEPTED if partial else SubmissionStatus.REJECTED
    return await _finish(session, clerk, submission, status)
