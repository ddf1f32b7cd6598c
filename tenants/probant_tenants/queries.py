"""The read side of tenancy: what a list shows, as statements the API pages through.

Resolvers check the permission and page; which rows a list holds is decided here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.text import contains_pattern
from probant_tenants.audit import AuditAction
from probant_tenants.models import (
    AuditEvent,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
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
