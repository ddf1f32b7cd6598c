"""The office's review queue and its re-check of a submission's stored files."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.review.types import FileCheck, ReviewQueueFilter
from probant_graphql.bailiffs.types import Submission
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.core.pagination import (
    connection,
    decode_cursor,
    empty_connection,
    encode_cursor,
    page_size,
)
from probant_graphql.permissions import require
from probant_platform.bailiffs import queries, review
from probant_platform.bailiffs.errors import SubmissionNotFound
from probant_platform.bailiffs.models import SubmissionStatus as StatusModel
from probant_platform.bailiffs.queries import office_of
from probant_platform.storage import store_for
from probant_tenants.authz import Permission


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
