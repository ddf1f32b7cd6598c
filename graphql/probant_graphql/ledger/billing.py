"""The catalogue, buying packs, subscribing to plans, the billing portal and receipts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.ids import decode_id
from probant_graphql.core.mutations import authorise_mutation, in_savepoint, not_allowed
from probant_graphql.core.pagination import connection, encode_cursor, newest_first
from probant_graphql.permissions import require
from probant_platform.billing import catalogue, products, subscriptions
from probant_platform.billing import errors as billing_errors
from probant_platform.billing.models import ProductKind, Purchase
from probant_platform.billing.providers import DEVELOPMENT_LABEL, Checkout, provider_for
from probant_platform.billing.receipts import has_receipt, receipt_path
from probant_platform.db import TenantScope
from probant_platform.db.session import rescope
from probant_platform.errors import DomainError
from probant_tenants.authz import Permission
from probant_tenants.models import Organisation, Role


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
    list_price: Price = strawberry.field(description="The catalogue price before any override.")


@strawberry.type
class SubscriptionPlan:
    id: str
    name: str
    monthly_credits: int
    seats: int
    price: Price
    list_price: Price
    rollover: bool = strawberry.field(description="Unused monthly credits roll over (else expire).")
    refund_on_rejection: bool


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
    provider: str
    label: str | None


@strawberry.type(description="The payment provider failed or is not set up for this.")
class PaymentUnavailable(Error):
    pass


@strawberry.type(name="BillingSubscription")
class BillingSubscription:
    plan_id: str
    plan_name: str
    status: str
    provider: str
    label: str | None
    monthly_credits: int
    seats: int | None
    rollover: bool
    current_period_start: datetime
    current_period_end: datetime
    cancel_at_period_end: bool


@strawberry.type(name="Purchase")
class PurchaseNode:
    id: strawberry.ID
    description: str
    purpose: str
    provider: str
    label: str | None
    status: str
    credits: int
    price: Price
    created_at: datetime
    paid_at: datetime | None
    invoice_url: str | None = strawberry.field(description="Stripe's hosted invoice.")
    receipt_url: str | None = strawberry.field(
        description="Our PDF receipt (development purchases); a link valid 10 minutes."
    )


@strawberry.type(name="CatalogueProduct")
class CatalogueProduct:
    id: str
    kind: str
    name: str
    credits: int
    seats: int | None
    price: Price
    list_price: Price
    rollover: bool
    refund_on_rejection: bool
    active: bool


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
ProductResult = Annotated[
    CatalogueProduct | InvalidInput | NotAllowed | NotAuthenticated | NotFound,
    strawberry.union("CatalogueProductResult"),
]


def to_error(exc: DomainError, locale: str) -> Error:
    message = exc.message(locale)
    if isinstance(exc, billing_errors.UnknownProduct):
        return InvalidInput(message=message, field="productId")
    if isinstance(exc, billing_errors.InvalidPrice):
        return InvalidInput(message=message, field="priceTtcCents")
    if isinstance(exc, billing_errors.InvalidProductField):
        return InvalidInput(message=message, field=str(exc.params.get("field", "")))
    if isinstance(exc, billing_errors.AlreadySubscribed):
        return InvalidInput(message=message, field="planId")
    if isinstance(exc, billing_errors.UnknownOrganisation):
        return NotFound(message=message)
    return PaymentUnavailable(message=message)


def _label(provider: str) -> str | None:
    return DEVELOPMENT_LABEL if provider == "development" else None


def _catalogue_product(product: products.Product) -> CatalogueProduct:
    return CatalogueProduct(
        id=product.id,
        kind=product.kind.value,
        name=product.name,
        credits=product.credits,
        seats=product.seats,
        price=Price.of(product.price_ttc_cents),
        list_price=Price.of(product.list_price_ttc_cents),
        rollover=product.rollover,
        refund_on_rejection=product.refund_on_rejection,
        active=product.active,
    )


def _checkout_payload(checkout: Checkout) -> CheckoutPayload:
    return CheckoutPayload(
        checkout_url=checkout.url,
        provider=checkout.provider,
        completed=checkout.completed,
        price=Price(
            ttc_cents=checkout.amount_ttc_cents,
            ht_cents=checkout.amount_ht_cents,
            vat_cents=checkout.vat_cents,
        ),
        label=_label(checkout.provider),
    )


def _purchase(info: Info[Context, Any], row: Purchase) -> PurchaseNode:
    settings = info.context.settings
    receipt = (
        settings.base_url
        + receipt_path(settings=settings, organisation_id=row.organisation_id, purchase_id=row.id)
        if has_receipt(row)
        else None
    )
    return PurchaseNode(
        id=strawberry.ID(str(row.id)),
        description=row.description,
        purpose=row.purpose,
        provider=row.provider,
        label=_label(row.provider),
        status=row.status.value,
        credits=row.credits,
        price=Price(
            ttc_cents=row.amount_ttc_cents, ht_cents=row.amount_ht_cents, vat_cents=row.vat_cents
        ),
        created_at=row.created_at,
        paid_at=row.paid_at,
        invoice_url=row.invoice_url,
        receipt_url=receipt,
    )


@strawberry.type
class BillingQuery:
    @strawberry.field(
        description="Credit packs and subscription plans at this organisation's prices."
    )
    async def catalogue(self, info: Info[Context, Any]) -> Catalogue:
        actor = await require(info, Permission.ORGANISATION_READ)
        provider = provider_for(info.context.settings)
        offer = await products.products(
            session=info.context.session, organisation_id=actor.organisation_id
        )
        return Catalogue(
            packs=[
                CreditPack(
                    id=p.id,
                    name=p.name,
                    credits=p.credits,
                    price=Price.of(p.price_ttc_cents),
                    list_price=Price.of(p.list_price_ttc_cents),
                )
                for p in offer
                if p.kind is ProductKind.PACK
            ],
            plans=[
                SubscriptionPlan(
                    id=p.id,
                    name=p.name,
                    monthly_credits=p.credits,
                    seats=p.seats or 0,
                    price=Price.of(p.price_ttc_cents),
                    list_price=Price.of(p.list_price_ttc_cents),
                    rollover=p.rollover,
                    refund_on_rejection=p.refund_on_rejection,
                )
                for p in offer
                if p.kind is ProductKind.PLAN
            ],
            payment_provider=provider.name,
            payment_provider_label=provider.label,
        )

    @strawberry.field(description="The organisation's plan, its status and current period.")
    async def billing_subscription(self, info: Info[Context, Any]) -> BillingSubscription | None:
        actor = await require(info, Permission.ORGANISATION_READ)
        session = info.context.session
        found = await subscriptions.current(session, actor.organisation_id)
        if found is None:
            return None
        plan = await subscriptions.plan(session, actor.organisation_id, found.plan_id)
        return BillingSubscription(
            plan_id=plan.id,
            plan_name=plan.name,
            status=found.status,
            provider=found.provider,
            label=_label(found.provider),
            monthly_credits=plan.credits,
            seats=plan.seats,
            rollover=plan.rollover,
            current_period_start=found.current_period_start,
            current_period_end=found.current_period_end,
            cancel_at_period_end=found.cancel_at_period_end,
        )

    @strawberry.field(description="OWNER/ADMIN: purchases with HT, VAT, TTC and their receipts.")
    async def purchases(
        self, info: Info[Context, Any], first: int | None = None, after: str | None = None
    ) -> relay.Connection[PurchaseNode]:  # type: ignore[type-var]
        actor = await require(info, Permission.CREDITS_BUY)
        query = newest_first(
            select(Purchase).where(Purchase.organisation_id == actor.organisation_id),
            created=Purchase.created_at,
            ident=Purchase.id,
            after=after,
            first=first,
        )
        rows = (await info.context.session.execute(query)).scalars().all()
        return connection(
            rows,
            first=first,
            after=after,  # type: ignore[type-var]
            cursor_of=lambda r: encode_cursor(r.created_at, r.id),
            to_node=lambda r: _purchase(info, r),
        )

    @strawberry.field(description="Operators: every product, including those off sale.")
    async def catalogue_products(self, info: Info[Context, Any]) -> list[CatalogueProduct]:
        actor = await require(info, Permission.PLATFORM_OPERATE)
        del actor
        rows = await products.products(
            session=info.context.session, organisation_id=None, include_inactive=True
        )
        return [_catalogue_product(p) for p in rows]


async def _buy(
    info: Info[Context, Any], product_id: str, kind: ProductKind
) -> CheckoutPayload | Error:
    actor = await authorise_mutation(info, Permission.CREDITS_BUY)
    if isinstance(actor, Error):
        return actor
    provider = provider_for(info.context.settings)
    session = info.context.session

    async def run() -> CheckoutPayload:
        chosen = await products.product(
            session=session,
            product_id=product_id,
            organisation_id=actor.organisation_id,
            kind=kind,
        )
        arguments: dict[str, Any] = {
            "session": session,
            "organisation_id": actor.organisation_id,
            "base_url": info.context.settings.base_url,
            "actor_user_id": actor.user_id,
        }
        if kind is ProductKind.PACK:
            checkout = await provider.checkout_product(pack=chosen, **arguments)
        else:
            checkout = await provider.subscribe(plan=chosen, **arguments)
        return _checkout_payload(checkout)

    def errors(exc: DomainError, locale: str) -> Error:
        if isinstance(exc, billing_errors.UnknownProduct):
            field = "packId" if kind is ProductKind.PACK else "planId"
            return InvalidInput(message=exc.message(locale), field=field)
        return to_error(exc, locale)

    return await in_savepoint(info, run, locale=actor.locale, errors=errors)


async def _operator(info: Info[Context, Any]) -> Any:
    actor = await authorise_mutation(info, Permission.PLATFORM_OPERATE)
    if isinstance(actor, Error):
        return actor
    if actor.role is not Role.OPERATOR:
        return not_allowed(actor.locale)
    return actor


@strawberry.type
class BillingMutation:
    @strawberry.mutation(description="OWNER/ADMIN: buy a credit pack (returns where to pay).")
    async def buy_credits(self, info: Info[Context, Any], pack_id: str) -> BuyResult:
        return await _buy(info, pack_id, ProductKind.PACK)  # type: ignore[return-value]

    @strawberry.mutation(description="OWNER/ADMIN: subscribe to a plan (returns where to pay).")
    async def subscribe(self, info: Info[Context, Any], plan_id: str) -> SubscribeResult:
        return await _buy(info, plan_id, ProductKind.PLAN)  # type: ignore[return-value]

    @strawberry.mutation(
        description="OWNER/ADMIN: a link to manage the subscription, payment method and invoices."
    )
    async def billing_portal_url(self, info: Info[Context, Any]) -> PortalResult:
        actor = await authorise_mutation(info, Permission.CREDITS_BUY)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        provider = provider_for(info.context.settings)

        async def run() -> BillingPortal:
            url = await provider.portal_url(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                base_url=info.context.settings.base_url,
            )
            return BillingPortal(url=url, provider=provider.name, label=provider.label)

        return await in_savepoint(info, run, locale=actor.locale, errors=to_error)  # type: ignore[return-value]

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
    ) -> ProductResult:
        actor = await _operator(info)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]

        async def run() -> CatalogueProduct:
            changed = await products.update_product(
                session=info.context.session,
                product_id=product_id,
                name=name,
                price_ttc_cents=price_ttc_cents,
                credits=credits,
                seats=seats,
                rollover=rollover,
                refund_on_rejection=refund_on_rejection,
                active=active,
            )
            return _catalogue_product(changed)

        return await in_savepoint(info, run, locale=actor.locale, errors=to_error)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Operators: an organisation's own price for a product (null: list price)."
    )
    async def set_price_override(
        self,
        info: Info[Context, Any],
        organisation_id: strawberry.ID,
        product_id: str,
        price_ttc_cents: int | None,
    ) -> ProductResult:
        actor = await _operator(info)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        target = decode_id(organisation_id, "Organisation")
        if target is None:
            message = (
                "Organisation introuvable." if actor.locale != "en" else "No such organisation."
            )
            return NotFound(message=message)
        session = info.context.session

        async def run() -> CatalogueProduct:
            await rescope(session, TenantScope(organisation_id=target, user_id=actor.user_id))
            try:
                if await session.get(Organisation, target) is None:
                    raise billing_errors.UnknownOrganisation()
                changed = await products.set_price_override(
                    session=session,
                    organisation_id=target,
                    product_id=product_id,
                    price_ttc_cents=price_ttc_cents,
                )
            finally:
                await rescope(session, actor.scope)
            return _catalogue_product(changed)

        return await in_savepoint(info, run, locale=actor.locale, errors=to_error)  # type: ignore[return-value]
