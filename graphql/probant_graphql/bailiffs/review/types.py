"""Submitting a deposit and the office's review: inputs, payloads and result unions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.types import RejectionReason, Submission, SubmissionStatus
from probant_graphql.core.errors import CommonErrors
from probant_graphql.ledger.types import InsufficientCredits


@strawberry.type(description="The server's re-check of one stored file against its sealed hash.")
class FileCheck:
    item_id: strawberry.ID
    expected_sha256: str
    actual_sha256: str | None
    matches: bool
    checked_at: datetime


@strawberry.type
class SubmissionPayload:
    submission: Submission


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
