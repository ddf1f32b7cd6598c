"""What operators read (role OPERATOR only): every organisation, an organisation's overview
(members, plan, balance, negotiated prices), offices proposed by members, the whole catalogue,
the platform audit log and the anchoring status. Everyone else gets NOT_ALLOWED."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.billing.types import CurrentSubscription
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.core.pagination import connection, encode_cursor, newest_first, page
from probant_graphql.permissions import PermissionDenied, locale_of, require
from probant_graphql.tenancy.operators.types import (
    AnchoringStatus,
    OfficeProposalNode,
    OperatorProduct,
    OrganisationOverview,
    PlatformAuditEvent,
    anchor_batch,
    operator_products,
)
from probant_graphql.tenancy.types import AuditActionEnum, Organisation, OrganisationKind
from probant_platform.bailiffs import queries as bailiff_queries
from probant_platform.bailiffs.models import OfficeProposal
from probant_platform.billing import catalogue, overview
from probant_platform.db import utcnow
from probant_platform.integrity import queries as integrity_queries
from probant_tenants import queries
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import AuditEvent as AuditEventModel
from probant_tenants.models import Organisation as OrganisationModel
from probant_tenants.models import OrganisationKind as Kind
from probant_tenants.models import Role


async def require_operator(info: Info[Context, Any]) -> Actor:
    """The actor when they are a platform operator; NOT_ALLOWED for anyone else."""
    actor = await require(info, Permission.PLATFORM_OPERATE)
    if actor.role is not Role.OPERATOR:
        english = locale_of(info, actor) == "en"
        raise PermissionDenied(
            "NOT_ALLOWED",
            "Your role does not allow this." if english else "Votre rôle ne permet pas cela.",
        )
    return actor


async def _products(info: Info[Context, Any], organisation_id: uuid.UUID | None) -> list[Any]:
    session = info.context.session
    items = await catalogue.products(
        session=session, organisation_id=organisation_id, include_inactive=True
    )
    return operator_products(items, await overview.list_prices(session=session))


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
class OperatorConsoleQuery:
    @strawberry.field(description="Operators: an organisation's members, plan, balance, prices.")
    async def organisation_overview(
        self, info: Info[Context, Any], id: strawberry.ID
    ) -> OrganisationOverview | None:
        actor = await require_operator(info)
        target = decode_id(str(id), "Organisation")
        if target is None:
            return None
        session = info.context.session
        org = await session.get(OrganisationModel, target)
        if org is None or org.deleted_at is not None:
            return None
        seen = await overview.organisation_overview(
            session=session, organisation_id=target, operator_user_id=actor.user_id
        )
        prices = operator_products(seen.products, seen.list_prices)
        found = seen.subscription
        plan = None
        if found is not None:
            chosen = next((p for p in prices if p.id == found.plan_id), None)
            if chosen is not None:
                plan = CurrentSubscription(
                    plan_id=chosen.id,
                    plan_name=chosen.name,
                    status=found.status.value,
                    provider=found.provider,
                    provider_label=None,
                    current_period_start=found.current_period_start,
                    current_period_end=found.current_period_end,
                    monthly_credits=chosen.credits,
                    seats=chosen.seats,
                    rollover=chosen.rollover,
                )
        return OrganisationOverview(
            organisation=Organisation.from_model(org),
            credit_balance=seen.balance,
            member_count=seen.member_count,
            plan=plan,
            prices=prices,
            created_at=org.created_at,
        )

    @strawberry.field(description="Operators: offices members proposed, newest first.")
    async def proposed_offices(
        self, info: Info[Context, Any], first: int | None = None, after: str | None = None
    ) -> relay.Connection[OfficeProposalNode]:
        await require_operator(info)
        query = bailiff_queries.office_proposals()
        rows = (
            await info.context.session.execute(
                newest_first(
                    query,
                    created=OfficeProposal.created_at,
                    ident=OfficeProposal.id,
                    after=after,
                    first=first,
                )
            )
        ).all()
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda r: encode_cursor(r[0].created_at, r[0].id),
            to_node=lambda r: OfficeProposalNode(
                proposal_id=str(r[0].id),
                name=r[0].name,
                city=r[0].city,
                organisation_name=r[1],
                proposer_email=r[2],
                created_at=r[0].created_at,
            ),
        )

    @strawberry.field(
        description="Operators: every product, inactive ones included, at the list price or "
        "at an organisation's negotiated prices."
    )
    async def operator_catalogue(
        self, info: Info[Context, Any], organisation_id: strawberry.ID | None = None
    ) -> list[OperatorProduct]:
        await require_operator(info)
        target = decode_id(str(organisation_id), "Organisation") if organisation_id else None
        return await _products(info, target)

    @strawberry.field(description="Operators: the audit log of every organisation, newest first.")
    async def platform_audit_log(
        self,
        info: Info[Context, Any],
        action: AuditActionEnum | None = None,  # type: ignore[valid-type]
        organisation_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[PlatformAuditEvent]:
        await require_operator(info)
        target = decode_id(str(organisation_id), "Organisation") if organisation_id else None
        query = queries.platform_audit_events(
            action=AuditAction(action) if action is not None else None,
            organisation_id=target,
            unknown_organisation=bool(organisation_id) and target is None,
        )
        rows = (
            await info.context.session.execute(
                newest_first(
                    query,
                    created=AuditEventModel.created_at,
                    ident=AuditEventModel.id,
                    after=after,
                    first=first,
                )
            )
        ).all()

        def node(r: Any) -> PlatformAuditEvent:
            event, org_name, email = r
            details = event.details or {}
            credits = details.get("credits")
            return PlatformAuditEvent(
                event_id=str(event.id),
                action=event.action,
                organisation_id=relay.GlobalID("Organisation", str(event.organisation_id)),  # type: ignore[arg-type]
                organisation_name=org_name,
                actor_email=email,
                target=event.target,
                ip=event.ip,
                reason=details.get("reason"),
                credits=int(credits) if isinstance(credits, int) else None,
                created_at=event.created_at,
            )

        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda r: encode_cursor(r[0].created_at, r[0].id),
            to_node=node,
        )

    @strawberry.field(description="Operators: the latest batches, their anchors, late ones.")
    async def anchoring_status(self, info: Info[Context, Any]) -> AnchoringStatus:
        await require_operator(info)
        status = await integrity_queries.anchoring_status(
            session=info.context.session, now=utcnow()
        )
        return AnchoringStatus(
            late_after_minutes=int(status.late_after.total_seconds() // 60),
            waiting_items=status.waiting_items,
            latest=[anchor_batch(b) for b in status.latest],
            late=[anchor_batch(b) for b in status.late],
        )
