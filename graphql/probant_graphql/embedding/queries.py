"""The organisation's widget keys and API keys (OWNER/ADMIN)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.embedding.types import ApiKey, WidgetKey
from probant_graphql.permissions import require
from probant_tenants.authz import Permission
from probant_tenants.embedding import keys


@strawberry.type
class EmbeddingQuery:
    @strawberry.field(description="The organisation's widget keys (OWNER/ADMIN).")
    async def widget_keys(self, info: Info[Context, Any]) -> list[WidgetKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await keys.list_widget_keys(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [WidgetKey.from_model(k) for k in rows]

    @strawberry.field(description="The organisation's secret API keys, without their secrets.")
    async def api_keys(self, info: Info[Context, Any]) -> list[ApiKey]:
        actor = await require(info, Permission.WIDGET_KEYS_MANAGE)
        rows = await keys.list_api_keys(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return [ApiKey.from_model(k) for k in rows]
