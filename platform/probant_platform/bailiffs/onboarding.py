"""Operators onboard a bailiff office: the organisation, its directory entry, its first clerk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs import directory
from probant_platform.bailiffs.models import BailiffOffice
from probant_platform.db import TenantScope
from probant_platform.db.session import acting_as
from probant_platform.text import clean_line
from probant_tenants import audit, invitations
from probant_tenants.audit import AuditAction
from probant_tenants.errors import InvalidName, InvalidSiren
from probant_tenants.models import Organisation, OrganisationKind, Role
from probant_tenants.siren import is_valid_siren, normalise_siren


@dataclass(frozen=True)
class OfficeCreated:
    office: Organisation
    entry: BailiffOffice
    clerk_email: str


async def create_office(
    *,
    session: AsyncSession,
    operator_user_id: uuid.UUID,
    name: str,
    street: str,
    postcode: str,
    city: str,
    clerk_email: str,
    siren: str | None,
    settings: directory.OfficeSettings,
) -> OfficeCreated:
    """Everything is written in the new office's own scope; the caller's scope comes back."""
    fields = {
        "name": clean_line(name, max_length=200),
        "street": clean_line(street, max_length=200),
        "postcode": clean_line(postcode, max_length=200),
        "city": clean_line(city, max_length=200),
    }
    if any(v is None for v in fields.values()) or len(fields["postcode"] or "") > 10:
        raise InvalidName()
    siren = normalise_siren(siren) if siren else None
    if siren is not None and not is_valid_siren(siren):
        raise InvalidSiren()
    office_id = uuid.uuid4()
    async with acting_as(session, TenantScope(organisation_id=office_id, user_id=operator_user_id)):
        office = Organisation(
            id=office_id,
            kind=OrganisationKind.BAILIFF_OFFICE,
            name=fields["name"],
            street=fields["street"],
            postcode=fields["postcode"],
            city=fields["city"],
            siren=siren,
            company_name=fields["name"] if siren else None,
        )
        session.add(office)
        await session.flush()
        entry = await directory.register_office(session=session, office=office, settings=settings)
        issued = await invitations.invite_member(
            session=session,
            organisation_id=office_id,
            inviter_user_id=operator_user_id,
            email=clerk_email,
            role=Role.CLERK,
            credits=0,
        )
        await audit.record(
            session=session,
            organisation_id=office_id,
            action=AuditAction.OFFICE_ONBOARDED,
            actor_user_id=operator_user_id,
            target=issued.invitation.email,
            details={"office": fields["name"]},
        )
        await session.flush()
    return OfficeCreated(office=office, entry=entry, clerk_email=issued.invitation.email)
