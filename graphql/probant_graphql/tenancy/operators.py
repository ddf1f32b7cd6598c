"""Operators: the list of organisations, and onboarding a bailiff office with its first clerk."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from sqlalchemy import or_, select
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.directory import BailiffOfficeSettingsInput, office_node
from probant_graphql.bailiffs.types import BailiffOffice
from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.core.pagination import (
    connection,
    contains_pattern,
    encode_cursor,
    newest_first,
)
from probant_graphql.permissions import require
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.errors import to_graphql_error
from probant_graphql.tenancy.types import Organisation, OrganisationKind
from probant_platform.bailiffs import directory
from probant_platform.db import TenantScope
from probant_platform.db.session import rescope
from probant_platform.text import clean_line
from probant_tenants import audit, invitations
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.errors import InvalidName, InvalidSiren
from probant_tenants.models import Organisation as OrganisationModel
from probant_tenants.models import OrganisationKind as Kind
from probant_tenants.models import Role
from probant_tenants.siren import is_valid_siren, normalise_siren


@strawberry.input
class BailiffOfficeInput:
    name: str
    street: str
    postcode: str
    city: str
    clerk_email: str
    siren: str | None = None
    directory: BailiffOfficeSettingsInput | None = strawberry.field(
        default=None,
        description="Coordinates (else the postcode's place), service area, whether it "
        "accepts deposits, its PV price (else the platform default), contact email.",
    )


@strawberry.type
class BailiffOfficeCreated:
    office: Organisation
    clerk_invited: str
    directory_entry: BailiffOffice


CreateOfficeResult = Annotated[
    BailiffOfficeCreated
    | e.InvalidEmail
    | e.InvalidSiren
    | InvalidInput
    | NotAllowed
    | NotAuthenticated,
    strawberry.union("CreateBailiffOfficeResult"),
]


@strawberry.type
class OperatorQuery:
    @strawberry.field(description="Operators: every organisation, newest first.")
    async def organisations(
        self,
        info: Info[Context, Any],
        kind: OrganisationKind | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[Organisation]:
        await require(info, Permission.PLATFORM_OPERATE)
        query = select(OrganisationModel).where(OrganisationModel.deleted_at.is_(None))
        if kind is not None:
            query = query.where(OrganisationModel.kind == Kind(kind))
        if search:
            pattern = contains_pattern(search)
            query = query.where(
                or_(OrganisationModel.name.ilike(pattern), OrganisationModel.city.ilike(pattern))
            )
        rows = (
            (
                await info.context.session.execute(
                    newest_first(
                        query,
                        created=OrganisationModel.created_at,
                        ident=OrganisationModel.id,
                        after=after,
                        first=first,
                    )
                )
            )
            .scalars()
            .all()
        )
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda o: encode_cursor(o.created_at, o.id),
            to_node=Organisation.from_model,
        )


@strawberry.type
class OperatorMutation:
    @strawberry.mutation(
        description="Operators: create a bailiff office and invite its first clerk."
    )
    async def create_bailiff_office(
        self, info: Info[Context, Any], input: BailiffOfficeInput
    ) -> CreateOfficeResult:
        actor = await authorise_mutation(info, Permission.OFFICE_MANAGE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> BailiffOfficeCreated:
            fields = {
                k: clean_line(getattr(input, k), max_length=200)
                for k in ("name", "street", "postcode", "city")
            }
            if any(v is None for v in fields.values()) or len(fields["postcode"] or "") > 10:
                raise InvalidName()
            siren = normalise_siren(input.siren) if input.siren else None
            if siren is not None and not is_valid_siren(siren):
                raise InvalidSiren()
            office_id = uuid.uuid4()
            session = info.context.session
            await rescope(session, TenantScope(organisation_id=office_id, user_id=actor.user_id))
            office = OrganisationModel(
                id=office_id,
                kind=Kind.BAILIFF_OFFICE,
                name=fields["name"],
                street=fields["street"],
                postcode=fields["postcode"],
                city=fields["city"],
                siren=siren,
                company_name=fields["name"] if siren else None,
            )
            session.add(office)
            await session.flush()
            settings = input.directory or BailiffOfficeSettingsInput()
            entry = await directory.register_office(
                session=session, office=office, settings=settings.to_domain()
            )
            issued = await invitations.invite_member(
                session=session,
                organisation_id=office_id,
                inviter_user_id=actor.user_id,
                email=input.clerk_email,
                role=Role.CLERK,
                credits=0,
            )
            await audit.record(
                session=session,
                organisation_id=office_id,
                action=AuditAction.OFFICE_ONBOARDED,
                actor_user_id=actor.user_id,
                target=issued.invitation.email,
                details={"office": fields["name"]},
            )
            await rescope(session, actor.scope)
            return BailiffOfficeCreated(
                office=Organisation.from_model(office),
                clerk_invited=issued.invitation.email,
                directory_entry=office_node(info, directory.OfficeHit(office, entry, None)),
            )

        return await in_savepoint(info, run, locale=actor.locale, errors=to_graphql_error)  # type: ignore[return-value]
