"""Whether a rejected submission gives its credits back: by default it does not."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.models import Submission
from probant_platform.bailiffs.submissions import spend_key
from probant_platform.billing.subscriptions import refund_on_rejection
from probant_platform.ledger import services as ledger


async def refund_if_plan_says(
    *, session: AsyncSession, submission: Submission, reference: str
) -> bool:
    """Refund the submission's price once, if the tenant's plan refunds rejections."""
    if submission.refunded:
        return True
    if not await refund_on_rejection(session=session, organisation_id=submission.organisation_id):
        return False
    await ledger.refund(
        session=session,
        organisation_id=submission.organisation_id,
        original_idempotency_key=spend_key(submission.deposit_id),
        idempotency_key=f"refund:{submission.id}",
        reason=f"Dépôt {reference} refusé par l'étude",
    )
    submission.refunded = True
    await session.flush()
    return True
