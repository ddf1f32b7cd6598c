"""Sending a sealed deposit to an office: priced, debited and recorded in one transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.directory import assigned_office, capture_place
from probant_platform.bailiffs.errors import AlreadySubmitted, NotSealed
from probant_platform.bailiffs.models import Submission, SubmissionStatus
from probant_platform.db import utcnow
from probant_platform.events import credits
from probant_platform.events.outbox import publish
from probant_platform.evidence import deposits
from probant_platform.evidence.errors import DepositNotFound
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.jobs import enqueue
from probant_platform.ledger import services as ledger
from probant_tenants.models import Organisation, User

DEPOSIT_STATUS = {
    SubmissionStatus.SUBMITTED: DepositStatus.SUBMITTED,
    SubmissionStatus.IN_REVIEW: DepositStatus.IN_REVIEW,
    SubmissionStatus.ACCEPTED: DepositStatus.ACCEPTED,
    SubmissionStatus.PARTIALLY_ACCEPTED: DepositStatus.ACCEPTED,
    SubmissionStatus.REJECTED: DepositStatus.REJECTED,
}


def spend_key(deposit_id: uuid.UUID) -> str:
    return f"submit:{deposit_id}"


async def submit_deposit(
    *,
    session: AsyncSession,
    author: deposits.Author,
    user_id: uuid.UUID,
    deposit_id: uuid.UUID,
    review_hours: int,
) -> Submission:
    """Send a sealed deposit to the organisation's office; its price is debited with it.

    Every check comes before any write; a refusal (not sealed, already sent, no office,
    not enough credits) leaves the deposit, the wallet and the queue as they were.
    """
    deposit = await deposits.get_deposit(
        session=session, author=author, deposit_id=deposit_id, for_update=True
    )
    if deposit.status is DepositStatus.DELETED:
        raise DepositNotFound()
    if deposit.status is DepositStatus.DRAFT:
        raise NotSealed()
    if deposit.status is not DepositStatus.SEALED:
        raise AlreadySubmitted()
    existing = await session.execute(
        select(Submission.id).where(Submission.deposit_id == deposit.id)
    )
    if existing.first() is not None:
        raise AlreadySubmitted()
    organisation = await session.get(Organisation, deposit.organisation_id)
    assert organisation is not None
    office = await assigned_office(
        session=session,
        organisation=organisation,
        place=await capture_place(session=session, deposit_id=deposit.id),
    )
    price = await deposits.quote(session=session, deposit=deposit)
    await ledger.spend(
        session=session,
        organisation_id=deposit.organisation_id,
        membership_id=author.membership_id,
        role_is_admin=author.is_admin,
        credits=price.credits,
        idempotency_key=spend_key(deposit.id),
        reference=deposit.reference,
    )
    user = await session.get(User, user_id)
    now = utcnow()
    submission = Submission(
        organisation_id=deposit.organisation_id,
        deposit_id=deposit.id,
        office_id=office.organisation.id,
        submitted_by_membership_id=author.membership_id,
        submitted_by_user_id=user_id,
        requester_name=organisation.company_name or organisation.name,
        author_name=(user.full_name if user else "") or (deposit.signature_name or ""),
        status=SubmissionStatus.SUBMITTED,
        credits_spent=price.credits,
        submitted_at=now,
        due_at=now + timedelta(hours=review_hours),
        rejected_item_ids=[],
    )
    session.add(submission)
    deposit.status = DepositStatus.SUBMITTED
    await session.flush()
    await credits.after_spend(
        session,
        organisation_id=deposit.organisation_id,
        spent=price.credits,
        from_wallet=author.is_admin,
        key=spend_key(deposit.id),
    )
    await publish(
        session,
        organisation_id=deposit.organisation_id,
        type="submission.received",
        key=f"submission.received:{submission.id}",
        data={
            "submission_id": submission.id,
            "deposit_id": deposit.id,
            "office_id": submission.office_id,
            "reference": deposit.reference,
        },
    )
    await enqueue(
        session,
        "bailiffs.notify_office",
        office_id=str(office.organisation.id),
        template="office_new_submission",
        context={
            "reference": deposit.reference,
            "requester": submission.requester_name,
            "due_at": submission.due_at.isoformat(),
            "submission_id": str(submission.id),
        },
    )
    return submission


async def submission_of(*, session: AsyncSession, deposit_id: uuid.UUID) -> Submission | None:
    found = await session.execute(select(Submission).where(Submission.deposit_id == deposit_id))
    return found.scalar_one_or_none()


async def set_deposit_status(
    *, session: AsyncSession, deposit_id: uuid.UUID, status: SubmissionStatus
) -> None:
    """Mirror the review on the deposit, so the author's archive shows where it stands."""
    deposit = await session.get(Deposit, deposit_id)
    if deposit is not None and deposit.status is not DepositStatus.DELETED:
        deposit.status = DEPOSIT_STATUS[status]
        await session.flush()
