"""Root query fields: any node, the viewer and their organisation, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.pagination import page
from probant_graphql.permissions import current_actor, may, require
from probant_graphql.tenancy.types import (
    AuditActionEnum,
    AuditEvent,
    Organisation,
    Viewer,
    ViewerUser,
)
from probant_tenants import models, queries
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission


@strawberry.type
class TenancyQuery:
    @strawberry.field(
        description="Any object by its global ID; null when it does not exist or is not yours."
    )
    async def node(self, info: Info[Context, Any], id: relay.GlobalID) -> relay.Node | None:
        try:
            node: relay.Node | None = await id.resolve_node(info, required=False)
        except (KeyError, ValueError):  # an unknown type name inside the ID
            return None
        return node

    @strawberry.field(description="The authenticated person; null when anonymous.")
    async def viewer(self, info: Info[Context, Any]) -> Viewer | None:
        actor = await current_actor(info)
        if actor is None:
            return None
        session = info.context.session
        user = await session.get(models.User, actor.user_id)
        org = await session.get(models.Organisation, actor.organisation_id)
        assert user is not None and org is not None
        permissions = [p.value for p in Permission if await may(info, actor, p)]
        return Viewer(
            user=ViewerUser(
                id=strawberry.ID(str(user.id)),
                email=user.email,
                full_name=user.full_name,
                locale=user.locale,
                email_verified=user.email_verified_at is not None,
                notify_email=user.notify_email,
                notify_push=user.notify_push,
            ),
            organisation=Organisation.from_model(org),
            role=actor.role,
            permissions=permissions,
            csrf_token=actor.csrf_token,
        )

    @strawberry.field(description="The viewer's organisation; null when anonymous.")
    async def organisation(self, info: Info[Context, Any]) -> Organisation | None:
        actor = await current_actor(info)
        if actor is None or not await may(info, actor, Permission.ORGANISATION_READ):
            return None
        org = await info.context.session.get(models.Organisation, actor.organisation_id)
        return Organisation.from_model(org) if org is not None else None


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The organisation's audit log, newest first (OWNER/ADMIN).")
    async def audit_log(
        self,
        info: Info[Context, Any],
        action: AuditActionEnum | None = None,  # type: ignore[valid-type]
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[AuditEvent]:
        actor = await require(info, Permission.AUDIT_READ)
        query = queries.audit_events(
            organisation_id=actor.organisation_id,
            action=AuditAction(action) if action is not None else None,
            from_=from_,
            to=to,
        )
        return await page(
            info.context.session,
            query,
            created=models.AuditEvent.created_at,
            ident=models.AuditEvent.id,
            first=first,
            after=after,
            to_node=AuditEvent.from_model,
        )
