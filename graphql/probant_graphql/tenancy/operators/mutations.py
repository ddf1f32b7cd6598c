"""Operators: onboarding a bailiff office with its first clerk."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.bailiffs.directory.types import BailiffOfficeSettingsInput
from probant_graphql.bailiffs.types import office_node
from probant_graphql.context import Context
from probant_graphql.core.errors import invalid_input
from probant_graphql.core.mutations import run_mutation
from probant_graphql.tenancy.operators.types import (
    BailiffOfficeCreated,
    BailiffOfficeInput,
    CreateOfficeResult,
)
from probant_graphql.tenancy.types import Organisation
from probant_platform.bailiffs import directory, onboarding
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

# The result has no member-level types: a refused first clerk is an invalid input, as it was.
OFFICE_ERRORS = {"ALREADY_MEMBER": invalid_input(""), "SEAT_LIMIT_REACHED": invalid_input("")}


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
