"""Choosing "my bailiff", proposing an office, and editing an office's directory entry."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.bailiffs.directory.types import (
    BailiffOfficeSettingsInput,
    ChooseResult,
    OfficeChosen,
    OfficeProposed,
    OfficeUpdated,
    ProposeResult,
    UpdateResult,
)
from probant_graphql.bailiffs.types import office_node
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.permissions import may
from probant_graphql.tenancy.types import OfficeChoice
from probant_platform.bailiffs import directory
from probant_platform.bailiffs.errors import OfficeNotFound
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import OfficeChoice as OfficeChoiceModel
from probant_tenants.models import Organisation


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(
        description='OWNER/ADMIN: send deposits to a preferred office ("my bailiff") or to '
        "the nearest accepting office of each capture place (NEAREST)."
    )
    async def choose_bailiff_office(
        self,
        info: Info[Context, Any],
        choice: OfficeChoice,  # type: ignore[valid-type]
        office_id: strawberry.ID | None = None,
    ) -> ChooseResult:
        async def run(actor: Actor) -> OfficeChosen:
            office_uuid = (
                require_id(office_id, "BailiffOffice", OfficeNotFound) if office_id else None
            )
            organisation = await directory.choose_office(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                choice=OfficeChoiceModel(choice),
                office_id=office_uuid,
            )
            preferred = None
            if organisation.preferred_office_id:
                hit = await directory.get_office(
                    session=info.context.session, office_id=organisation.preferred_office_id
                )
                preferred = office_node(info, hit)
            return OfficeChosen(
                office_choice=organisation.office_choice, preferred_office=preferred
            )

        return await run_mutation(info, Permission.ORGANISATION_UPDATE, run)

    @strawberry.mutation(
        description="Propose your usual office, not yet on Probant: the operators are told."
    )
    async def propose_bailiff_office(
        self, info: Info[Context, Any], name: str, city: str
    ) -> ProposeResult:
        async def run(actor: Actor) -> OfficeProposed:
            organisation = await info.context.session.get(Organisation, actor.organisation_id)
            await directory.propose_office(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                user_id=actor.user_id,
                name=name,
                city=city,
                proposer_email=actor.email,
                organisation_name=organisation.name if organisation else "",
            )
            return OfficeProposed(message=directory.proposal_thanks(actor.locale))

        return await run_mutation(info, Permission.ORGANISATION_READ, run)

    @strawberry.mutation(
        description="Clerks: their office's entry (accepting deposits now, area, price). "
        "Operators: any office's."
    )
    async def update_bailiff_office(
        self,
        info: Info[Context, Any],
        input: BailiffOfficeSettingsInput,
        office_id: strawberry.ID | None = None,
    ) -> UpdateResult:
        async def run(actor: Actor) -> OfficeUpdated:
            target = decode_id(office_id, "BailiffOffice") if office_id else actor.organisation_id
            editor = directory.OfficeEditor(
                organisation_id=actor.organisation_id,
                manages_offices=await may(info, actor, Permission.OFFICE_MANAGE),
                reviews_deposits=await may(info, actor, Permission.REVIEW_DEPOSITS),
            )
            session = info.context.session
            entry = await directory.update_office(
                session=session, office_id=target, settings=input.to_domain(), editor=editor
            )
            hit = await directory.get_office(session=session, office_id=entry.office_id)
            return OfficeUpdated(office=office_node(info, hit))

        return await run_mutation(info, None, run)
