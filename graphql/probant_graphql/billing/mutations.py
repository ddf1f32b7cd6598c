"""Billing mutations: buying packs, subscribing, the billing portal; operators edit prices."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from probant_graphql.billing.types import (
    BILLING_FIELD,
    BillingPortal,
    BuyResult,
    CatalogueEditResult,
    CheckoutPayload,
    CreditPack,
    PortalResult,
    SubscribeResult,
    SubscriptionPlan,
    checkout_payload,
    product_of,
)
from probant_graphql.context import Context
from probant_graphql.core.errors import Error
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import not_allowed, run_mutation
from probant_platform.billing import catalogue, negotiated, providers
from probant_platform.billing.models import ProductKind
from probant_tenants import audit
from probant_tenants.audit import AuditAction
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.errors import OrganisationNotFound
from probant_tenants.models import Role


async def _checkout(info: Info[Context, Any], product_id: str, kind: ProductKind) -> Any:
    async def run(actor: Actor) -> CheckoutPayload:
        checkout = await providers.checkout_product(
            settings=info.context.settings,
            session=info.context.session,
            organisation_id=actor.organisation_id,
            product_id=product_id,
            kind=kind,
            actor_user_id=actor.user_id,
        )
        return checkout_payload(checkout)

    return await run_mutation(info, Permission.CREDITS_BUY, run, default_field=BILLING_FIELD)


@strawberry.type
class BillingMutation:
    @strawberry.mutation(description="OWNER/ADMIN: buy a credit pack (returns where to pay).")
    async def buy_credits(self, info: Info[Context, Any], pack_id: str) -> BuyResult:
        return await _checkout(info, pack_id, ProductKind.PACK)

    @strawberry.mutation(description="OWNER/ADMIN: subscribe to a plan (returns where to pay).")
    async def subscribe(self, info: Info[Context, Any], plan_id: str) -> SubscribeResult:
        return await _checkout(info, plan_id, ProductKind.PLAN)

    @strawberry.mutation(description="OWNER/ADMIN: a link to manage the subscription (Stripe).")
    async def billing_portal_url(self, info: Info[Context, Any]) -> PortalResult:
        async def run(actor: Actor) -> BillingPortal:
            url = await providers.provider_for(info.context.settings).portal_url(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                base_url=info.context.settings.base_url,
            )
            return BillingPortal(url=url)

        return await run_mutation(info, Permission.CREDITS_BUY, run, default_field=BILLING_FIELD)

    @strawberry.mutation(description="Operators: change a product of the catalogue.")
    async def update_catalogue_product(
        self,
        info: Info[Context, Any],
        product_id: str,
        name: str | None = None,
        price_ttc_cents: int | None = None,
        credits: int | None = None,
        seats: int | None = None,
        rollover: bool | None = None,
        refund_on_rejection: bool | None = None,
        active: bool | None = None,
        pricing_rule: str | None = None,
    ) -> CatalogueEditResult:
        async def run(actor: Actor) -> SubscriptionPlan | CreditPack | Error:
            if actor.role is not Role.OPERATOR:
                return not_allowed(actor.locale)
            updated = await catalogue.update_product(
                session=info.context.session,
                product_id=product_id,
                name=name,
                price_ttc_cents=price_ttc_cents,
                credits=credits,
                seats=seats,
                rollover=rollover,
                refund_on_rejection=refund_on_rejection,
                active=active,
                pricing_rule=pricing_rule,
            )
            await audit.record(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                action=AuditAction.CATALOGUE_CHANGED,
                actor_user_id=actor.user_id,
                target=product_id,
                details={"price_ttc_cents": updated.price_ttc_cents, "active": updated.active},
            )
            return product_of(updated)

        return await run_mutation(
            info, Permission.PLATFORM_OPERATE, run, default_field=BILLING_FIELD
        )

    @strawberry.mutation(
        description="Operators: a negotiated price of a product for one organisation "
        "(priceTtcCents null removes it)."
    )
    async def set_price_override(
        self,
        info: Info[Context, Any],
        organisation_id: strawberry.ID,
        product_id: str,
        price_ttc_cents: int | None = None,
    ) -> CatalogueEditResult:
        async def run(actor: Actor) -> SubscriptionPlan | CreditPack | Error:
            if actor.role is not Role.OPERATOR:
                return not_allowed(actor.locale)
            product = await negotiated.set_negotiated_price(
                session=info.context.session,
                organisation_id=require_id(organisation_id, "Organisation", OrganisationNotFound),
                operator_user_id=actor.user_id,
                product_id=product_id,
                price_ttc_cents=price_ttc_cents,
            )
            return product_of(product)

        return await run_mutation(
            info, Permission.PLATFORM_OPERATE, run, default_field=BILLING_FIELD
        )
