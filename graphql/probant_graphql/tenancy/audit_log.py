"""The audit log connection (OWNER/ADMIN): who did what, when, from where."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.pagination import page
from probant_graphql.permissions import require
from probant_tenants import queries
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.models import AuditEvent as AuditEventModel

AuditActionEnum = strawberry.enum(AuditAction, name="AuditAction")


@strawberry.type(name="AuditEvent")
class AuditEvent(relay.Node):
    event_id: relay.NodeID[str]
    action: str
    actor_user_id: strawberry.ID | None
    target: str | None
    ip: str | None
    created_at: datetime

    @classmethod
    def from_model(cls, row: AuditEventModel) -> AuditEvent:
        return cls(
            event_id=str(row.id),
            action=row.action,
            actor_user_id=strawberry.ID(str(row.actor_user_id)) if row.actor_user_id else None,
            target=row.target,
            ip=row.ip,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[AuditEvent | None]:
        return [None for _ in node_ids]  # read through `auditLog` only


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
            created=AuditEventModel.created_at,
            ident=AuditEventModel.id,
            first=first,
            after=after,
            to_node=AuditEvent.from_model,
        )
