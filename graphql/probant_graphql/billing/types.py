"""The catalogue, buying packs, plans and subscriptions, receipts; operators edit prices."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import (
    Error,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    PaymentUnavailable,
)
from probant_graphql.core.mutations import authorise_mutation, in_savepoint, not_allowed
from probant_graphql.permissions import require
from probant_platform.billing import catalogue, providers, subscriptions
from probant_platform.billing.models import ProductKind
from probant_platform.billing.receipts import receipt_number, receipt_path
from probant_platform.db import TenantScope
from probant_platform.db.session import rescope
from probant_platform.errors import DomainError
from probant_tenants.authz import Permission
from probant_tenants.models import Role

DEVELOPMENT_LABEL = providers.DEVELOPMENT_LABEL


@strawberry.type
class Price:
    ttc_cents: int
    ht_cents: int
    vat_cents: int

    @classmethod
    def of(cls, ttc: int) -> Price:
        ht, vat = catalogue.vat_split(ttc)
        return cls(ttc_cents=ttc, ht_cents=ht, vat_cents=vat)


@strawberry.type
class CreditPack:
    id: str
    name: str
    credits: int
    price: Price
    negotiated: bool = strawberry.field(description="A price agreed for this organisation.")


@strawberry.type
class SubscriptionPlan:
    id: str
    name: str
    monthly_credits: int
    seats: int
    price: Price
    rollover: bool = strawberry.field(description="Unused monthly credits carry over.")
    refund_on_rejection: bool
    negotiated: bool
    pricing_rule: str = strawberry.field(
        description="PER_DEPOSIT: 1 credit per deposit (≤ 20 photos or one video ≤ 30 s); "
        "PER_ITEM: 1 per photo and 3 per started 15 s of video."
    )


@strawberry.type
class Catalogue:
    packs: list[CreditPack]
    plans: list[SubscriptionPlan]
    payment_provider: str
    payment_provider_label: str | None = strawberry.field(
        description="Set when payments are simulated (development provider)."
    )


@strawberry.type
class CheckoutPayload:
    checkout_url: str
    provider: str
    completed: bool
    price: Price
    label: str | None


@strawberry.type
class BillingPortal:
    url: str


@strawberry.type
class CurrentSubscription:
    plan_id: str
    plan_name: str
    status: str
    provider: str
    provider_label: str | None
    current_period_start: datetime
    current_period_end: datetime
    monthly_credits: int
    seats: int | None
    rollover: bool


@strawberry.type
class Receipt:
    id: strawberry.ID
    number: str
    description: str
    credits: int
    price: Price
    provider: str
    provider_label: str | None
    paid_at: datetime | None
    invoice_url: str | None = strawberry.field(description="Stripe's hosted invoice.")
    receipt_url: str = strawberry.field(description="Our PDF receipt (link valid 10 minutes).")


BuyResult = Annotated[
    CheckoutPayload | InvalidInput | NotAllowed | NotAuthenticated | PaymentUnavailable,
    strawberry.union("BuyCreditsResult"),
]
SubscribeResult = Annotated[
    CheckoutPayload | InvalidInput | NotAllowed | NotAuthenticated | PaymentUnavailable,
    strawberry.union("SubscribeResult"),
]
PortalResult = Annotated[
    BillingPortal | NotAllowed | NotAuthenticated | PaymentUnavailable,
    strawberry.union("BillingPortalResult"),
]
CatalogueEditResult = Annotated[
    SubscriptionPlan | CreditPack | InvalidInput | NotAllowed | NotAuthenticated | NotFound,
    strawberry.union("CatalogueEditResult"),
]


def _label(provider: str) -> str | None:
    return DEVELOPMENT_LABEL if provider == "development" else None


def _pack(p: catalogue.Product) -> CreditPack:
    return CreditPack(
        id=p.id,
        name=p.name,
        credits=p.credits,
        price=Price.of(p.price_ttc_cents),
        negotiated=p.negotiated,
    )


def _plan(p: catalogue.Product) -> SubscriptionPlan:
    return SubscriptionPlan(
        id=p.id,
        name=p.name,
        monthly_credits=p.credits,
        seats=p.seats or 0,
        price=Price.of(p.price_ttc_cents),
        rollover=p.rollover,
        refund_on_rejection=p.refund_on_rejection,
        negotiated=p.negotiated,
        pricing_rule=p.pricing_rule,
    )


def _payload(checkout: providers.Checkout) -> CheckoutPayload:
    return CheckoutPayload(
        checkout_url=checkout.url,
        provider=checkout.provider,
        completed=checkout.completed,
        price=Price.of(checkout.amount_ttc_cents),
        label=_label(checkout.provider),
    )


def _errors(exc: DomainError, locale: str) -> Error:
    if isinstance(exc, providers.PaymentsUnavailable | providers.PortalUnavailable):
        return PaymentUnavailable(message=exc.message(locale))
    if isinstance(exc, catalogue.UnknownProduct):
        return InvalidInput(message=exc.message(locale), field="productId")
    if isinstance(exc, providers.AlreadySubscribed):
        return InvalidInput(message=exc.message(locale), field="planId")
    return InvalidInput(message=exc.message(locale), field="input")


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
            packs=[_pack(p) for p in items if p.kind is ProductKind.PACK],
            plans=[_plan(p) for p in items if p.kind is ProductKind.PLAN],
            payment_provider=provider.name,
            payment_provider_label=_label(provider.name),
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
            provider_label=_label(found.provider),
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
                provider_label=_label(p.provider),
                paid_at=p.paid_at,
                invoice_url=p.invoice_url,
                receipt_url=base
                + receipt_path(settings, organisation_id=p.organisation_id, purchase_id=p.id),
            )
            for p in rows
        ]


async def _operator_target(
    info: Info[Context, Any], organisation_id: strawberry.ID | None
) -> uuid.UUID | None:
    if organisation_id is None:
        return None
    try:
        return uuid.UUID(relay.GlobalID.from_id(str(organisation_id)).node_id)
    except (ValueError, TypeError):
        try:
            return uuid.UUID(str(organisation_id))
        except ValueError:
            return None


@strawberry.type
class BillingMutation:
    @strawberry.mutation(description="OWNER/ADMIN: buy a credit pack (returns where to pay).")
    async def buy_credits(self, info: Info[Context, Any], pack_id: str) -> BuyResult:
        actor = await authorise_mutation(info, Permission.CREDITS_BUY)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        session = info.context.session

        async def run() -> CheckoutPayload:
            pack = await catalogue.product(
                session=session,
                organisation_id=actor.organisation_id,
                product_id=pack_id,
                kind=ProductKind.PACK,
            )
            checkout = await providers.provider_for(info.context.settings).checkout_pack(
                session=session,
                organisation_id=actor.organisation_id,
                pack=pack,
                base_url=info.context.settings.base_url,
                actor_user_id=actor.user_id,
            )
            return _payload(checkout)

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]

    @strawberry.mutation(description="OWNER/ADMIN: subscribe to a plan (returns where to pay).")
    async def subscribe(self, info: Info[Context, Any], plan_id: str) -> SubscribeResult:
        actor = await authorise_mutation(info, Permission.CREDITS_BUY)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        session = info.context.session

        async def run() -> CheckoutPayload:
            plan = await catalogue.product(
                session=session,
                organisation_id=actor.organisation_id,
                product_id=plan_id,
                kind=ProductKind.PLAN,
            )
            checkout = await providers.provider_for(info.context.settings).subscribe(
                session=session,
                organisation_id=actor.organisation_id,
                plan=plan,
                base_url=info.context.settings.base_url,
                actor_user_id=actor.user_id,
            )
            return _payload(checkout)

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]

    @strawberry.mutation(description="OWNER/ADMIN: a link to manage the subscription (Stripe).")
    async def billing_portal_url(self, info: Info[Context, Any]) -> PortalResult:
        actor = await authorise_mutation(info, Permission.CREDITS_BUY)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> BillingPortal:
            url = await providers.provider_for(info.context.settings).portal_url(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                base_url=info.context.settings.base_url,
            )
            return BillingPortal(url=url)

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]

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
        actor = await authorise_mutation(info, Permission.PLATFORM_OPERATE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        if actor.role is not Role.OPERATOR:
            return not_allowed(actor.locale)

        async def run() -> SubscriptionPlan | CreditPack:
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
            return _plan(updated) if updated.kind is ProductKind.PLAN else _pack(updated)

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]

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
        actor = await authorise_mutation(info, Permission.PLATFORM_OPERATE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        if actor.role is not Role.OPERATOR:
            return not_allowed(actor.locale)
        target = await _operator_target(info, organisation_id)
        if target is None:
            return NotFound(message="Organisation introuvable.")
        session = info.context.session

        async def run() -> SubscriptionPlan | CreditPack:
            await rescope(session, TenantScope(organisation_id=target, user_id=actor.user_id))
            await catalogue.set_price_override(
                session=session,
                organisation_id=target,
                product_id=product_id,
                price_ttc_cents=price_ttc_cents,
            )
            chosen = next(
                p
                for p in await catalogue.products(
                    session=session, organisation_id=target, include_inactive=True
                )
                if p.id == product_id
            )
            return _plan(chosen) if chosen.kind is ProductKind.PLAN else _pack(chosen)

        return await in_savepoint(info, run, locale=actor.locale, errors=_errors)  # type: ignore[return-value]
