"""Operators: the list of organisations, and onboarding a bailiff office with its first clerk."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.directory.types import BailiffOfficeSettingsInput
from probant_graphql.bailiffs.types import BailiffOffice, office_node
from probant_graphql.context import Context
from probant_graphql.core.errors import InvalidInput, RoleOrAuthErrors, invalid_input
from probant_graphql.core.mutations import run_mutation
from probant_graphql.core.pagination import page
from probant_graphql.permissions import require
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.types import Organisation, OrganisationKind
from probant_platform.bailiffs import directory, onboarding
from probant_tenants import queries
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import Organisation as OrganisationModel
from probant_tenants.models import OrganisationKind as Kind


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
    BailiffOfficeCreated | e.InvalidEmail | e.InvalidSiren | InvalidInput | RoleOrAuthErrors,
    strawberry.union("CreateBailiffOfficeResult"),
]


# The result has no member-level types: a refused first clerk is an invalid input, as it was.
OFFICE_ERRORS = {"ALREADY_MEMBER": invalid_input(""), "SEAT_LIMIT_REACHED": invalid_input("")}


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
        query = queries.organisations(kind=Kind(kind) if kind is not None else None, search=search)
        return await page(
            info.context.session,
            query,
            created=OrganisationModel.created_at,
            ident=OrganisationModel.id,
            first=first,
            after=after,
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
        async def run(actor: Actor) -> BailiffOfficeCreated:
            created = await onboarding.create_office(
                session=info.context.session,
                operator_user_id=actor.user_id,
                name=input.name,
                street=input.street,
                postcode=input.postcode,
                city=input.city,
                clerk_email=input.clerk_email,
                siren=input.siren,
                settings=(input.directory or BailiffOfficeSettingsInput()).to_domain(),
            )
            return BailiffOfficeCreated(
                office=Organisation.from_model(created.office),
                clerk_invited=created.clerk_email,
                directory_entry=office_node(
                    info, directory.OfficeHit(created.office, created.entry, None)
                ),
            )

        return await run_mutation(info, Permission.OFFICE_MANAGE, run, overrides=OFFICE_ERRORS)
