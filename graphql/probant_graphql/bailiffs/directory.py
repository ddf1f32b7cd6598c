"""The directory of offices: nearest-first search, choosing "my bailiff", proposing an office,
and editing an office's entry."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.types import BailiffOffice
from probant_graphql.context import Context
from probant_graphql.core.errors import CommonErrors
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.permissions import may, require
from probant_graphql.tenancy.types import OfficeChoice
from probant_platform.bailiffs import directory
from probant_platform.bailiffs.errors import InvalidField, NotYourOffice, OfficeNotFound
from probant_platform.bailiffs.geo import Point
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import OfficeChoice as OfficeChoiceModel
from probant_tenants.models import Organisation


@strawberry.input
class GeoPointInput:
    latitude: float
    longitude: float


@strawberry.input(description="What an office (or an operator) sets in its directory entry.")
class BailiffOfficeSettingsInput:
    latitude: float | None = None
    longitude: float | None = None
    service_radius_km: int | None = None
    accepts_deposits: bool | None = None
    constat_price_ttc_cents: int | None = None
    contact_email: str | None = None

    def to_domain(self) -> directory.OfficeSettings:
        return directory.OfficeSettings(**vars(self))


def office_node(info: Info[Context, Any], hit: directory.OfficeHit) -> BailiffOffice:
    return BailiffOffice.from_hit(hit, info.context.settings.constat_price_cents)


@strawberry.type
class OfficeChosen:
    office_choice: OfficeChoice  # type: ignore[valid-type]
    preferred_office: BailiffOffice | None


@strawberry.type
class OfficeProposed:
    message: str


@strawberry.type
class OfficeUpdated:
    office: BailiffOffice


ChooseResult = Annotated[OfficeChosen | CommonErrors, strawberry.union("ChooseBailiffOfficeResult")]
ProposeResult = Annotated[
    OfficeProposed | CommonErrors, strawberry.union("ProposeBailiffOfficeResult")
]
UpdateResult = Annotated[
    OfficeUpdated | CommonErrors, strawberry.union("UpdateBailiffOfficeResult")
]


@strawberry.type
class DirectoryQuery:
    @strawberry.field(
        description="Bailiff offices, nearest first when `near` is given (with the distance), "
        "else by name; `search` matches the name or the city."
    )
    async def bailiff_offices(
        self,
        info: Info[Context, Any],
        near: GeoPointInput | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[BailiffOffice]:
        await require(info)
        size = max(1, min(first or 20, directory.MAX_PAGE))
        session = info.context.session
        try:
            if near is not None:
                hits = await directory.nearest_offices(
                    session=session,
                    origin=Point(near.latitude, near.longitude),
                    search=search,
                    first=size,
                    after=after,
                )
            else:
                hits = await directory.offices_by_name(
                    session=session, search=search, first=size, after=after
                )
        except InvalidField:
            hits = []

        def cursor(hit: directory.OfficeHit) -> str:
            if hit.distance_km is None:
                return str(hit.organisation.id)
            return directory.encode_cursor(hit.distance_km, hit.organisation.id)

        edges = [relay.Edge(cursor=cursor(h), node=office_node(info, h)) for h in hits[:size]]
        return relay.Connection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(hits) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


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
            operator = await may(info, actor, Permission.OFFICE_MANAGE)
            clerk = target == actor.organisation_id and await may(
                info, actor, Permission.REVIEW_DEPOSITS
            )
            if target is None or not (operator or clerk):
                raise NotYourOffice()
            # Row-level security lets an office edit its own entry, an operator any entry.
            session = info.context.session
            await directory.update_office(
                session=session, office_id=target, settings=input.to_domain()
            )
            hit = await directory.get_office(session=session, office_id=target)
            return OfficeUpdated(office=office_node(info, hit))

        return await run_mutation(info, None, run)
