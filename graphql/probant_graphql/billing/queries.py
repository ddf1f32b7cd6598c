"""Billing queries: the catalogue, the organisation's plan and its receipts."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.billing.types import (
    Catalogue,
    CurrentSubscription,
    Price,
    Receipt,
    pack_of,
    plan_of,
    provider_label,
)
from probant_graphql.context import Context
from probant_graphql.permissions import require
from probant_platform.billing import catalogue, providers, subscriptions
from probant_platform.billing.models import ProductKind
from probant_platform.billing.receipts import receipt_number, receipt_path
from probant_tenants.authz import Permission


@strawberry.type
class BillingQuery:
    @strawberry.field(description="Credit packs and subscription plans, amounts HT, VAT and TTC.")
    async def catalogue(self, info: Info[Context, Any]) -> Catalogue:
        actor = await require(info, Permission.ORGANISATION_READ)
        provider = providers.provider_for(info.context.settings)
        items = await catalogue.products(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return Catalogue(
            packs=[pack_of(p) for p in items if p.kind is ProductKind.PACK],
            plans=[plan_of(p) for p in items if p.kind is ProductKind.PLAN],
            payment_provider=provider.name,
            payment_provider_label=provider_label(provider.name),
        )

    @strawberry.field(description="OWNER/ADMIN: the organisation's plan, if it has one.")
    async def subscription(self, info: Info[Context, Any]) -> CurrentSubscription | None:
        actor = await require(info, Permission.CREDITS_BUY)
        session = info.context.session
        found = await subscriptions.current(session=session, organisation_id=actor.organisation_id)
        if found is None:
            return None
        plan = next(
            p
            for p in await catalogue.products(
                session=session, organisation_id=actor.organisation_id, include_inactive=True
            )
            if p.id == found.plan_id
        )
        return CurrentSubscription(
            plan_id=plan.id,
            plan_name=plan.name,
            status=found.status.value,
            provider=found.provider,
            provider_label=provider_label(found.provider),
            current_period_start=found.current_period_start,
            current_period_end=found.current_period_end,
            monthly_credits=plan.credits,
            seats=plan.seats,
            rollover=plan.rollover,
        )

    @strawberry.field(description="OWNER/ADMIN: paid purchases, newest first, with receipts.")
    async def receipts(self, info: Info[Context, Any]) -> list[Receipt]:
        actor = await require(info, Permission.CREDITS_BUY)
        settings = info.context.settings
        rows = await providers.purchases(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        base = settings.base_url.rstrip("/")
        return [
            Receipt(
                id=strawberry.ID(str(p.id)),
                number=receipt_number(p),
                description=p.description,
                credits=p.credits,
                price=Price.of(p.amount_ttc_cents),
                provider=p.provider,
                provider_label=provider_label(p.provider),
                paid_at=p.paid_at,
                invoice_url=p.invoice_url,
                receipt_url=base
                + receipt_path(settings, organisation_id=p.organisation_id, purchase_id=p.id),
            )
            for p in rows
        ]
