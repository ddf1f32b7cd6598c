"""What the operator console reads (role OPERATOR only): an organisation's overview (members,
plan, balance, negotiated prices), offices proposed by members, the whole catalogue, the
platform audit log and the anchoring status. Everyone else gets NOT_ALLOWED."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import strawberry
from sqlalchemy import func, select
from strawberry import relay
from strawberry.types import Info

from probant_graphql.billing.types import CurrentSubscription, Price
from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.permissions import PermissionDenied, locale_of, require
from probant_graphql.tenancy.audit_log import AuditActionEnum
from probant_graphql.tenancy.types import Organisation
from probant_platform.bailiffs.models import OfficeProposal
from probant_platform.billing import catalogue, overview
from probant_platform.db import utcnow
from probant_platform.integrity.models import Anchor, AnchorStatus, Batch, Leaf
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import AuditEvent as AuditEventModel
from probant_tenants.models import Organisation as OrganisationModel
from probant_tenants.models import Role, User

# A closed batch whose root is not confirmed on the chain after this long needs a look.
ANCHOR_LATE_AFTER = timedelta(minutes=30)
LATEST_BATCHES = 20


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


@strawberry.type(description="A product of the catalogue as an operator sees it.")
class OperatorProduct:
    id: str
    kind: str = strawberry.field(description="PACK or PLAN.")
    name: str
    credits: int = strawberry.field(description="Credits of a pack, monthly credits of a plan.")
    seats: int | None
    price: Price = strawberry.field(description="The price for this organisation, if any.")
    list_price: Price
    negotiated: bool
    active: bool
    rollover: bool
    refund_on_rejection: bool
    pricing_rule: str = strawberry.field(
        description="How deposits are charged: PER_DEPOSIT (1 credit per deposit) or PER_ITEM."
    )


async def _products(info: Info[Context, Any], organisation_id: uuid.UUID | None) -> list[Any]:
    session = info.context.session
    items = await catalogue.products(
        session=session, organisation_id=organisation_id, include_inactive=True
    )
    return _operator_products(items, await overview.list_prices(session=session))


def _operator_products(items: list[catalogue.Product], listed: dict[str, int]) -> list[Any]:
    return [
        OperatorProduct(
            id=p.id,
            kind=p.kind.value,
            name=p.name,
            credits=p.credits,
            seats=p.seats,
            price=Price.of(p.price_ttc_cents),
            list_price=Price.of(listed.get(p.id, p.price_ttc_cents)),
            negotiated=p.negotiated,
            active=p.active,
            rollover=p.rollover,
            refund_on_rejection=p.refund_on_rejection,
            pricing_rule=p.pricing_rule,
        )
        for p in items
    ]


@strawberry.type(description="Operators: one organisation at a glance.")
class OrganisationOverview:
    organisation: Organisation
    credit_balance: int = strawberry.field(description="Credits in the organisation's wallet.")
    member_count: int
    plan: CurrentSubscription | None
    prices: list[OperatorProduct] = strawberry.field(
        description="The catalogue at this organisation's prices (negotiated ones flagged)."
    )
    created_at: datetime


@strawberry.type(name="OfficeProposal", description="An office a member would like on Probant.")
class OfficeProposalNode(relay.Node):
    proposal_id: relay.NodeID[str]
    name: str
    city: str
    organisation_name: str
    proposer_email: str | None
    created_at: datetime

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[OfficeProposalNode | None]:
        return [None for _ in node_ids]  # read through `proposedOffices` only


@strawberry.type(name="PlatformAuditEvent", description="One event of any organisation's log.")
class PlatformAuditEvent(relay.Node):
    event_id: relay.NodeID[str]
    action: str
    organisation_id: strawberry.ID
    organisation_name: str
    actor_email: str | None
    target: str | None
    ip: str | None
    reason: str | None = strawberry.field(description="The written reason, when one is required.")
    credits: int | None
    created_at: datetime

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[PlatformAuditEvent | None]:
        return [None for _ in node_ids]  # read through `platformAuditLog` only


@strawberry.type(description="The chain transaction that anchors a batch's root.")
class AnchorTransaction:
    chain_id: str
    tx_hash: str
    status: str = strawberry.field(description="SIGNED, SENT or CONFIRMED.")
    development: bool
    block_number: int | None
    confirmations: int | None
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    confirmed_at: datetime | None


@strawberry.type(description="A Merkle batch of sealed items and its anchor.")
class AnchorBatch:
    sequence: int
    root: str
    leaf_count: int
    closed_at: datetime
    anchor: AnchorTransaction | None
    late: bool = strawberry.field(
        description="Closed more than `lateAfterMinutes` ago and still not confirmed."
    )


@strawberry.type(description="Where anchoring stands: latest batches, late ones, waiting items.")
class AnchoringStatus:
    late_after_minutes: int
    waiting_items: int = strawberry.field(description="Sealed items not yet in a batch.")
    latest: list[AnchorBatch]
    late: list[AnchorBatch] = strawberry.field(
        description="Every batch waiting too long for its confirmation, oldest first."
    )


def _anchor(row: Anchor | None) -> AnchorTransaction | None:
    if row is None:
        return None
    return AnchorTransaction(
        chain_id=str(row.chain_id),
        tx_hash=row.tx_hash,
        status=row.status.value,
        development=row.development,
        block_number=row.block_number,
        confirmations=row.confirmations,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        confirmed_at=row.confirmed_at,
    )


def _batch(batch: Batch, anchor: Anchor | None, now: datetime) -> AnchorBatch:
    confirmed = anchor is not None and anchor.status is AnchorStatus.CONFIRMED
    return AnchorBatch(
        sequence=batch.sequence,
        root=batch.root,
        leaf_count=batch.leaf_count,
        closed_at=batch.closed_at,
        anchor=_anchor(anchor),
        late=not confirmed and now - batch.closed_at > ANCHOR_LATE_AFTER,
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
        prices = _operator_products(seen.products, seen.list_prices)
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
        query = (
            select(OfficeProposal, OrganisationModel.name, User.email)
            .join(OrganisationModel, OrganisationModel.id == OfficeProposal.organisation_id)
            .outerjoin(User, User.id == OfficeProposal.proposed_by_user_id)
        )
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
        query = (
            select(AuditEventModel, OrganisationModel.name, User.email)
            .join(OrganisationModel, OrganisationModel.id == AuditEventModel.organisation_id)
            .outerjoin(User, User.id == AuditEventModel.actor_user_id)
        )
        if action is not None:
            query = query.where(AuditEventModel.action == AuditAction(action).value)
        if organisation_id:
            target = decode_id(str(organisation_id), "Organisation")
            query = query.where(AuditEventModel.organisation_id == target)
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
        session = info.context.session
        now = utcnow()
        base = select(Batch, Anchor).outerjoin(Anchor, Anchor.batch_id == Batch.id)
        latest = (
            await session.execute(base.order_by(Batch.sequence.desc()).limit(LATEST_BATCHES))
        ).all()
        late = (
            await session.execute(
                base.where(
                    (Anchor.id.is_(None)) | (Anchor.status != AnchorStatus.CONFIRMED),
                    Batch.closed_at < now - ANCHOR_LATE_AFTER,
                ).order_by(Batch.sequence)
            )
        ).all()
        waiting = (
            await session.execute(
                select(func.count()).select_from(Leaf).where(Leaf.batch_id.is_(None))
            )
        ).scalar_one()
        return AnchoringStatus(
            late_after_minutes=int(ANCHOR_LATE_AFTER.total_seconds() // 60),
            waiting_items=int(waiting),
            latest=[_batch(b, a, now) for b, a in latest],
            late=[_batch(b, a, now) for b, a in late],
        )
