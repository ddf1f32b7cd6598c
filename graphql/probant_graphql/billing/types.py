"""Billing types: prices, packs, plans, checkouts, subscriptions, receipts; the result unions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from probant_graphql.core.errors import (
    InvalidInput,
    NotFound,
    PaymentUnavailable,
    RoleOrAuthErrors,
    invalid_input,
    register,
)
from probant_platform.billing import catalogue, providers
from probant_platform.billing.models import ProductKind

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
    CheckoutPayload | InvalidInput | RoleOrAuthErrors | PaymentUnavailable,
    strawberry.union("BuyCreditsResult"),
]
SubscribeResult = Annotated[
    CheckoutPayload | InvalidInput | RoleOrAuthErrors | PaymentUnavailable,
    strawberry.union("SubscribeResult"),
]
PortalResult = Annotated[
    BillingPortal | RoleOrAuthErrors | PaymentUnavailable, strawberry.union("BillingPortalResult")
]
CatalogueEditResult = Annotated[
    SubscriptionPlan | CreditPack | InvalidInput | RoleOrAuthErrors | NotFound,
    strawberry.union("CatalogueEditResult"),
]
register("PAYMENTS_UNAVAILABLE", PaymentUnavailable)
register("PORTAL_UNAVAILABLE", PaymentUnavailable)
register("UNKNOWN_PRODUCT", invalid_input("productId"))
register("ALREADY_SUBSCRIBED", invalid_input("planId"))
# Billing's other refusals (a product's fields) name the whole input.
BILLING_FIELD = "input"


def provider_label(provider: str) -> str | None:
    return DEVELOPMENT_LABEL if provider == "development" else None


def pack_of(p: catalogue.Product) -> CreditPack:
    return CreditPack(
        id=p.id,
        name=p.name,
        credits=p.credits,
        price=Price.of(p.price_ttc_cents),
        negotiated=p.negotiated,
    )


def plan_of(p: catalogue.Product) -> SubscriptionPlan:
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


def checkout_payload(checkout: providers.Checkout) -> CheckoutPayload:
    return CheckoutPayload(
        checkout_url=checkout.url,
        provider=checkout.provider,
        completed=checkout.completed,
        price=Price.of(checkout.amount_ttc_cents),
        label=provider_label(checkout.provider),
    )


def product_of(p: catalogue.Product) -> SubscriptionPlan | CreditPack:
    return plan_of(p) if p.kind is ProductKind.PLAN else pack_of(p)
