"""The directory of offices: nearest-first search, else by name."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.directory.types import GeoPointInput
from probant_graphql.bailiffs.types import BailiffOffice, office_node
from probant_graphql.context import Context
from probant_graphql.permissions import require
from probant_platform.bailiffs import directory
from probant_platform.bailiffs.errors import InvalidField
from probant_platform.bailiffs.geo import Point


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
