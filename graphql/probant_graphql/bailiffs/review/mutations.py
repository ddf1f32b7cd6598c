"""Submitting a sealed deposit to an office, and the clerk's claim and decisions."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.bailiffs.review.types import (
    ClaimResult,
    DecisionResult,
    RejectDepositInput,
    SubmissionPayload,
    SubmitResult,
)
from probant_graphql.bailiffs.types import Submission
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.evidence.mutations import author_of
from probant_platform.bailiffs import review, submissions
from probant_platform.bailiffs.errors import InvalidField, SubmissionNotFound
from probant_platform.bailiffs.models import RejectionReason as ReasonModel
from probant_platform.bailiffs.models import Submission as SubmissionModel
from probant_platform.bailiffs.review import clerk_of
from probant_platform.evidence.errors import DepositNotFound
from probant_platform.storage import store_for
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


def _submission_uuid(value: str) -> uuid.UUID:
    return require_id(value, "Submission", SubmissionNotFound)


def _on_submission(
    info: Info[Context, Any],
    submission_id: str,
    step: Callable[..., Awaitable[SubmissionModel]],
    **arguments: Any,
) -> Callable[[Actor], Awaitable[SubmissionPayload]]:
    """The service a clerk's step on one submission runs (for `run_mutation`)."""

    async def run(actor: Actor) -> SubmissionPayload:
        clerk = clerk_of(actor)
        done = await step(
            session=info.context.session,
            clerk=clerk,
            submission_id=_submission_uuid(submission_id),
            **arguments,
        )
        return SubmissionPayload(submission=Submission.from_model(done))

    return run


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="Send a sealed deposit to your organisation's office for review; its price "
        "(pricing rules: 1 credit by default) is debited at once. Due 24 h later."
    )
    async def submit_deposit(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> SubmitResult:
        async def run(actor: Actor) -> SubmissionPayload:
            submission = await submissions.submit_deposit(
                session=info.context.session,
                author=await author_of(info, actor),
                user_id=actor.user_id,
                deposit_id=require_id(deposit_id, "Deposit", DepositNotFound),
                review_hours=info.context.settings.review_hours,
            )
            return SubmissionPayload(submission=Submission.from_model(submission))

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(description="Clerks: take a submission for review.")
    async def claim_submission(
        self, info: Info[Context, Any], submission_id: strawberry.ID
    ) -> ClaimResult:
        return await run_mutation(
            info,
            Permission.REVIEW_DEPOSITS,
            _on_submission(info, submission_id, review.claim),
        )

    @strawberry.mutation(description="Clerks: put a submission you took back in the queue.")
    async def unclaim_submission(
        self, info: Info[Context, Any], submission_id: strawberry.ID
    ) -> ClaimResult:
        return await run_mutation(
            info,
            Permission.REVIEW_DEPOSITS,
            _on_submission(info, submission_id, review.unclaim),
        )

    @strawberry.mutation(
        description="Clerks: accept the deposit (every stored file is re-hashed first); the "
        "signed attestation de dépôt is then issued and emailed to the author."
    )
    async def accept_deposit(
        self, info: Info[Context, Any], submission_id: strawberry.ID
    ) -> DecisionResult:
        return await run_mutation(
            info,
            Permission.REVIEW_DEPOSITS,
            _on_submission(
                info, submission_id, review.accept, store=store_for(info.context.settings)
            ),
        )

    @strawberry.mutation(
        description="Clerks: reject the deposit with a reason (or only some items: the rest is "
        "accepted). Credits are not refunded unless the tenant's plan says so."
    )
    async def reject_deposit(
        self, info: Info[Context, Any], input: RejectDepositInput
    ) -> DecisionResult:
        async def run(actor: Actor) -> SubmissionPayload:
            clerk = clerk_of(actor)
            item_ids = None
            if input.item_ids is not None:
                item_ids = [decode_id(i, "EvidenceItem") for i in input.item_ids]
                if any(i is None for i in item_ids):
                    raise InvalidField(field="itemIds")
            done = await review.reject(
                session=info.context.session,
                clerk=clerk,
                submission_id=_submission_uuid(input.submission_id),
                store=store_for(info.context.settings),
                reason=ReasonModel(input.reason),
                comment=input.comment,
                item_ids=[i for i in item_ids or [] if i is not None] or None,
            )
            return SubmissionPayload(submission=Submission.from_model(done))

        return await run_mutation(info, Permission.REVIEW_DEPOSITS, run)
