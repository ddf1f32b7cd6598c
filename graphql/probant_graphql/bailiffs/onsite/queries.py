"""On-site constat requests: the organisation's, or those addressed to the clerk's office."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.loaders import visible_page
from probant_graphql.bailiffs.types import OnSiteRequest, OnSiteStatus
from probant_graphql.context import Context
from probant_platform.bailiffs import models as m
from probant_platform.bailiffs import queries


@strawberry.type
class OnSiteQuery:
    @strawberry.field(
        description="OWNER/ADMIN: the organisation's on-site requests. Clerks: those addressed "
        "to their office. Newest first."
    )
    async def on_site_requests(
        self,
        info: Info[Context, Any],
        status: OnSiteStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[OnSiteRequest]:
        return await visible_page(
            info,
            lambda viewer: queries.on_site_requests(viewer, status),
            m.OnSiteRequest,
            first=first,
            after=after,
            to_node=OnSiteRequest.from_model,
        )
