"""The read side of tenancy: what a list shows, as statements the API pages through.

Resolvers check the permission and page; which rows a list holds is decided here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.text import contains_pattern
from probant_tenants.audit import AuditAction
from probant_tenants.models import (
    AuditEvent,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)


def organisations(
    *, kind: OrganisationKind | None = None, search: str | None = None
) -> Select[Any]:
    """Operators: every organisation not deleted, of one kind, or matching a name or city."""
    query = select(Organisation).where(Organisation.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    if search:
        pattern = contains_pattern(search)
        query = query.where(or_(Organisation.name.ilike(pattern), Organisation.city.ilike(pattern)))
    return query


def audit_events(
    *,
    organisation_id: uuid.UUID,
    action: AuditAction | None = None,
    from_: datetime | None = None,
    to: datetime | None = None,
) -> Select[Any]:
    """The organisation's audit log, of one action and within [from_, to) when given."""
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if action is not None:
        query = query.where(AuditEvent.action == action.value)
    if from_ is not None:
        query = query.where(AuditEvent.created_at >= from_)
    if to is not None:
        query = query.where(AuditEvent.created_at < to)
    return query


async def visible_organisation(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID | None,
    viewer_organisation_id: uuid.UUID,
    operator: bool,
) -> Organisation | None:
    """An organisation its viewer may read: their own; any for a platform operator."""
    if organisation_id is None or not (operator or organisation_id == viewer_organisation_id):
        return None
    return await session.get(Organisation, organisation_id)


def members(*, organisation_id: uuid.UUID) -> Select[Membership, User]:
    """The organisation's members with their user, API clients excepted (listed apart)."""
    return (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id, Membership.role != Role.PARTNER)
    )


def members_seen_by(
    *, organisation_id: uuid.UUID, viewer_organisation_id: uuid.UUID, operator: bool
) -> Select[Membership, User] | None:
    """The organisation's members as a viewer may list them: those of their own organisation,
    any organisation's for an operator; None (an empty list) for anyone else."""
    if organisation_id != viewer_organisation_id and not operator:
        return None
    return members(organisation_id=organisation_id)


def sees_member_balance(
    *,
    member_organisation_id: uuid.UUID,
    viewer_organisation_id: uuid.UUID | None,
    reads_all_credits: bool,
) -> bool:
    """Whether a viewer sees the credits in a member's own wallet: someone who reads every
    wallet (OWNER/ADMIN) in the member's organisation; nobody from another organisation,
    nobody unauthenticated (`viewer_organisation_id` None)."""
    return viewer_organisation_id == member_organisation_id and reads_all_credits


async def members_by_id(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    ids: list[uuid.UUID],
    only_user_id: uuid.UUID | None = None,
) -> dict[uuid.UUID, tuple[Membership, User]]:
    """Members of the organisation by id, with their user; only `only_user_id`'s own
    membership when given (a viewer who may not read the other members)."""
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(ids), Membership.organisation_id == organisation_id)
    )
    return {
        m.id: (m, u) for m, u in rows.all() if only_user_id is None or m.user_id == only_user_id
    }


def platform_audit_events(
    *,
    action: AuditAction | None = None,
    organisation_id: uuid.UUID | None = None,
    unknown_organisation: bool = False,
) -> Select[AuditEvent, str, str]:
    """Operators: every organisation's audit log with the organisation's name and the actor's
    email, of one action and one organisation when given (none when the organisation asked
    for is `unknown_organisation`: an id that names no organisation)."""
    query = (
        select(AuditEvent, Organisation.name, User.email)
        .join(Organisation, Organisation.id == AuditEvent.organisation_id)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
    )
    if action is not None:
        query = query.where(AuditEvent.action == action.value)
    if unknown_organisation:
        query = query.where(false())
    elif organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    return query


async def active_membership(
    *, session: AsyncSession, organisation_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership | None:
    """An active member of the organisation, or None."""
    found = await session.execute(
        select(Membership).where(
            Membership.id == membership_id,
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return found.scalar_one_or_none()
