"""Submitting a sealed deposit to an office, and the office's review queue and decisions."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.types import (
    FileCheck,
    RejectionReason,
    Submission,
    SubmissionPayload,
    SubmissionStatus,
    office_of,
)
from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.core.pagination import (
    connection,
    decode_cursor,
    empty_connection,
    encode_cursor,
    page_size,
)
from probant_graphql.evidence.resolvers import author_of
from probant_graphql.ledger.types import InsufficientCredits
from probant_graphql.permissions import may, require
from probant_platform.bailiffs import queries, review, submissions
from probant_platform.bailiffs.errors import InvalidField, SubmissionNotFound
from probant_platform.bailiffs.models import RejectionReason as ReasonModel
from probant_platform.bailiffs.models import Submission as SubmissionModel
from probant_platform.bailiffs.models import SubmissionStatus as StatusModel
from probant_platform.bailiffs.review import clerk_of
from probant_platform.evidence.errors import DepositNotFound
from probant_platform.storage import store_for
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

SubmitResult = Annotated[
    SubmissionPayload
    | InsufficientCredits
    | e.NotSealed
    | e.AlreadySubmitted
    | e.NoOfficeAvailable
    | e.OfficeNotAccepting
    | CommonErrors,
    strawberry.union("SubmitDepositResult"),
]
ClaimResult = Annotated[
    SubmissionPayload | e.AlreadyDecided | e.ClaimedByAnother | CommonErrors,
    strawberry.union("ClaimSubmissionResult"),
]
DecisionResult = Annotated[
    SubmissionPayload
    | e.AlreadyDecided
    | e.ClaimedByAnother
    | e.FileAltered
    | e.InvalidState
    | CommonErrors,
    strawberry.union("ReviewDecisionResult"),
]


@strawberry.input
class ReviewQueueFilter:
    statuses: list[SubmissionStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Default: the open ones (SUBMITTED, IN_REVIEW)."
    )
    due_before: datetime | None = None
    overdue_only: bool = False
    requester: str | None = strawberry.field(
        default=None, description="Only submissions whose `requesterName` contains this."
    )
    claimed_by_me: bool = strawberry.field(
        default=False, description="Only the submissions the viewer claimed."
    )


@strawberry.input
class RejectDepositInput:
    submission_id: strawberry.ID
    reason: RejectionReason  # type: ignore[valid-type]
    comment: str = ""
    item_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Reject only these items: the others are accepted (partial acceptance).",
    )


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
class ReviewQuery:
    @strawberry.field(
        description="Clerks: the office's submissions from every tenant, soonest due first."
    )
    async def review_queue(
        self,
        info: Info[Context, Any],
        filter: ReviewQueueFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[Submission]:
        actor = await require(info, Permission.REVIEW_DEPOSITS)
        office = office_of(actor)
        empty: relay.Connection[Submission] = empty_connection()
        if office is None:
            return empty
        wanted = filter or ReviewQueueFilter()
        position = None
        if after:
            when, ident = decode_cursor(after)
            try:
                position = (when, uuid.UUID(ident))
            except ValueError:
                return empty
        size = page_size(first)
        entries = await queries.queue(
            session=info.context.session,
            office_id=office,
            filter=queries.QueueFilter(
                statuses=tuple(StatusModel(s) for s in wanted.statuses)
                if wanted.statuses
                else queries.OPEN_STATUSES,
                due_before=wanted.due_before,
                overdue_only=wanted.overdue_only,
                requester=wanted.requester,
                claimed_by=actor.user_id if wanted.claimed_by_me else None,
            ),
            first=size,
            after=position,
        )
        return connection(
            entries,
            first=first,
            after=after,
            cursor_of=lambda entry: encode_cursor(entry.submission.due_at, entry.submission.id),
            to_node=lambda entry: Submission.from_model(entry.submission, entry.deposit),
        )

    @strawberry.field(
        description="Clerks: re-hash every stored file of a submission now and compare each "
        "with the hash sealed at capture."
    )
    async def review_file_checks(
        self, info: Info[Context, Any], submission_id: strawberry.ID
    ) -> list[FileCheck] | None:
        actor = await require(info, Permission.REVIEW_DEPOSITS)
        office = office_of(actor)
        submission_uuid = decode_id(submission_id, "Submission")
        if office is None or submission_uuid is None:
            return None
        try:
            submission = await review.get_submission(
                session=info.context.session, office_id=office, submission_id=submission_uuid
            )
        except SubmissionNotFound:
            return None
        checks = await review.check_files(
            session=info.context.session,
            store=store_for(info.context.settings),
            deposit_id=submission.deposit_id,
        )
        return [
            FileCheck(
                item_id=strawberry.ID(relay.to_base64("EvidenceItem", str(c.item_id))),
                expected_sha256=c.expected_sha256,
                actual_sha256=c.actual_sha256,
                matches=c.matches,
                checked_at=c.checked_at,
            )
            for c in checks
        ]


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
                author=author_of(actor, await may(info, actor, Permission.DEPOSITS_READ_ALL)),
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
