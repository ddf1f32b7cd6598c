"""The read side of the bailiff flows: who sees which submission, PV order and on-site request,
the clerk's queue, and the rows the API loads in batches.

A tenant's OWNER/ADMIN (permission to order constats) sees its organisation's orders and
requests; a clerk (an office member allowed to review deposits) sees what was addressed to the
office, orders only once paid. Each rule is written once, as a SQL condition, and used both to
list and to fetch by id. Row-level security hides other tenants' rows anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.constats import OPEN_ORDER
from probant_platform.bailiffs.directory import OfficeHit
from probant_platform.bailiffs.models import (
    OPEN_STATUSES,
    BailiffOffice,
    ConstatOrder,
    ConstatStatus,
    DocumentKind,
    OfficeDocument,
    OfficeProposal,
    OnSiteRequest,
    OnSiteStatus,
    Submission,
    SubmissionStatus,
)
from probant_platform.db import utcnow
from probant_platform.evidence.models import Deposit
from probant_tenants.context import Actor
from probant_tenants.models import Organisation, OrganisationKind, User

MAX_PAGE = 100

# What an office does not see of a PV order: it is not its work until paid.
HIDDEN_FROM_OFFICE = (ConstatStatus.AWAITING_PAYMENT, ConstatStatus.CANCELLED)


@dataclass(frozen=True)
class Viewer:
    """Who reads, and what their permissions let them read (built once per request)."""

    organisation_id: uuid.UUID
    membership_id: uuid.UUID
    user_id: uuid.UUID
    office_id: uuid.UUID | None  # the office the viewer works for (a clerk), else None
    reviews_deposits: bool  # REVIEW_DEPOSITS: the office's queue, orders and requests
    orders_constats: bool  # CONSTAT_ORDER: the organisation's orders and requests
    reads_all_deposits: bool  # DEPOSITS_READ_ALL: every deposit of the organisation
    reads_deposits: bool = True  # False for a token not minted for this operation

    @property
    def reviewing_office(self) -> uuid.UUID | None:
        """The office whose work the viewer reviews, or None."""
        return self.office_id if self.reviews_deposits else None


def office_of(actor: Actor | None) -> uuid.UUID | None:
    """The office an actor works for (clerks), or None."""
    if actor is None or actor.organisation_kind is not OrganisationKind.BAILIFF_OFFICE:
        return None
    return actor.organisation_id


def overdue(submission: Submission) -> bool:
    """Still open after its due time (the office's SLA)."""
    return submission.status in OPEN_STATUSES and submission.due_at < utcnow()


def _orders_seen(viewer: Viewer) -> ColumnElement[bool]:
    office = viewer.reviewing_office
    if office is not None:
        return and_(
            ConstatOrder.office_id == office, ConstatOrder.status.not_in(HIDDEN_FROM_OFFICE)
        )
    if viewer.orders_constats:
        return ConstatOrder.organisation_id == viewer.organisation_id
    return false()


def _requests_seen(viewer: Viewer) -> ColumnElement[bool]:
    office = viewer.reviewing_office
    if office is not None:
        return OnSiteRequest.office_id == office
    if viewer.orders_constats:
        return OnSiteRequest.organisation_id == viewer.organisation_id
    return false()


def _submissions_seen(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.office_id is not None:
        # An office member sees the office's submissions, if allowed to review, and no other.
        return Submission.office_id == viewer.office_id if viewer.reviews_deposits else false()
    if not viewer.reads_deposits:
        return false()
    # A tenant sees the submissions of the deposits it sees: the organisation's, or its own.
    own = Deposit.organisation_id == viewer.organisation_id
    if viewer.reads_all_deposits:
        return own
    return and_(own, Deposit.author_membership_id == viewer.membership_id)


def constat_orders(viewer: Viewer, status: ConstatStatus | None = None) -> Select[Any]:
    """The PV orders the viewer sees, of one status when given; unordered."""
    query = select(ConstatOrder).where(_orders_seen(viewer))
    return query if status is None else query.where(ConstatOrder.status == status)


def on_site_requests(viewer: Viewer, status: OnSiteStatus | None = None) -> Select[Any]:
    """The on-site requests the viewer sees, of one status when given; unordered."""
    query = select(OnSiteRequest).where(_requests_seen(viewer))
    return query if status is None else query.where(OnSiteRequest.status == status)


async def visible_orders(
    *, session: AsyncSession, viewer: Viewer, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ConstatOrder]:
    if not ids:
        return {}
    rows = await session.execute(constat_orders(viewer).where(ConstatOrder.id.in_(list(ids))))
    return {o.id: o for o in rows.scalars()}


async def visible_on_site_requests(
    *, session: AsyncSession, viewer: Viewer, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, OnSiteRequest]:
    if not ids:
        return {}
    rows = await session.execute(on_site_requests(viewer).where(OnSiteRequest.id.in_(list(ids))))
    return {r.id: r for r in rows.scalars()}


async def visible_submissions(
    *, session: AsyncSession, viewer: Viewer, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Submission]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Submission)
        .join(Deposit, Deposit.id == Submission.deposit_id)
        .where(Submission.id.in_(list(ids)), _submissions_seen(viewer))
    )
    return {s.id: s for s in rows.scalars()}


async def open_order(*, session: AsyncSession, deposit_id: uuid.UUID) -> ConstatOrder | None:
    """The deposit's order still awaiting payment or validation, if any."""
    found = await session.execute(
        select(ConstatOrder).where(
            ConstatOrder.deposit_id == deposit_id, ConstatOrder.status.in_(OPEN_ORDER)
        )
    )
    return found.scalar_one_or_none()


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[SubmissionStatus, ...] = OPEN_STATUSES
    due_before: datetime | None = None
    overdue_only: bool = False
    requester: str | None = None  # part of the tenant's name, as the queue shows it
    claimed_by: uuid.UUID | None = None


@dataclass(frozen=True)
class QueueEntry:
    submission: Submission
    deposit: Deposit


async def queue(
    *,
    session: AsyncSession,
    office_id: uuid.UUID,
    filter: QueueFilter,
    first: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[QueueEntry]:
    """The clerk's queue: up to `first + 1` of the office's submissions, soonest due first,
    with their deposits (one query)."""
    query = (
        select(Submission, Deposit)
        .join(Deposit, Deposit.id == Submission.deposit_id)
        .where(Submission.office_id == office_id)
    )
    if filter.statuses:
        query = query.where(Submission.status.in_(filter.statuses))
    if filter.due_before is not None:
        query = query.where(Submission.due_at < filter.due_before)
    if filter.overdue_only:
        query = query.where(Submission.due_at < utcnow(), Submission.status.in_(OPEN_STATUSES))
    if filter.requester:
        query = query.where(Submission.requester_name.icontains(filter.requester, autoescape=True))
    if filter.claimed_by is not None:
        query = query.where(Submission.claimed_by_user_id == filter.claimed_by)
    if after is not None:
        due, ident = after
        query = query.where(
            or_(Submission.due_at > due, and_(Submission.due_at == due, Submission.id > ident))
        )
    limit = max(1, min(first, MAX_PAGE)) + 1
    rows = await session.execute(query.order_by(Submission.due_at, Submission.id).limit(limit))
    return [QueueEntry(s, d) for s, d in rows.all()]


def office_proposals() -> Select[OfficeProposal, str, str]:
    """Operators: the offices members proposed, with the organisation's name and the
    proposer's email."""
    return (
        select(OfficeProposal, Organisation.name, User.email)
        .join(Organisation, Organisation.id == OfficeProposal.organisation_id)
        .outerjoin(User, User.id == OfficeProposal.proposed_by_user_id)
    )


# Batches for the API's DataLoaders: one query for every key asked on a page. They read rows
# the viewer reached through a visible object (row-level security still applies).


async def offices_by_id(
    *, session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, OfficeHit]:
    rows = await session.execute(
        select(Organisation, BailiffOffice)
        .join(BailiffOffice, BailiffOffice.office_id == Organisation.id)
        .where(Organisation.id.in_(list(ids)), Organisation.deleted_at.is_(None))
    )
    return {org.id: OfficeHit(org, entry, None) for org, entry in rows.all()}


async def documents_by_subject(
    *, session: AsyncSession, kind: DocumentKind, subject_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, OfficeDocument]:
    rows = await session.execute(
        select(OfficeDocument).where(
            OfficeDocument.kind == kind, OfficeDocument.subject_id.in_(list(subject_ids))
        )
    )
    return {row.subject_id: row for row in rows.scalars()}


async def deposits_by_id(
    *, session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Deposit]:
    rows = await session.execute(select(Deposit).where(Deposit.id.in_(list(ids))))
    return {d.id: d for d in rows.scalars()}


async def submissions_by_deposit(
    *, session: AsyncSession, deposit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Submission]:
    rows = await session.execute(
        select(Submission).where(Submission.deposit_id.in_(list(deposit_ids)))
    )
    return {s.deposit_id: s for s in rows.scalars()}
