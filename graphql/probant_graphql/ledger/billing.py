"""The catalogue and buying credit packs."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated
from probant_graphql.core.mutations import authorise_mutation
from probant_graphql.permissions import require
from probant_platform.billing import catalogue
from probant_platform.billing.providers import DEVELOPMENT_LABEL, provider_for
from probant_tenants.authz import Permission


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
    credits: int
    price: Price


@strawberry.type
class SubscriptionPlan:
    id: str
    name: str
    monthly_credits: int
    seats: int
    price: Price
    rollover: bool


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


BuyResult = Annotated[
    CheckoutPayload | InvalidInput | NotAllowed | NotAuthenticated,
    strawberry.union("BuyCreditsResult"),
]


@strawberry.type
class BillingQuery:
    @strawberry.field(description="Credit packs and subscription plans, amounts HT, VAT and TTC.")
    async def catalogue(self, info: Info[Context, Any]) -> Catalogue:
        await require(info, Permission.ORGANISATION_READ)
        provider = provider_for(info.context.settings)
        return Catalogue(
            packs=[
                CreditPack(id=p.id, credits=p.credits, price=Price.of(p.price_ttc_cents))
                for p in catalogue.PACKS
            ],
            plans=[
                SubscriptionPlan(
                    id=p.id,
                    name=p.name,
                    monthly_credits=p.monthly_credits,
                    seats=p.seats,
                    price=Price.of(p.price_ttc_cents),
                    rollover=p.rollover,
                )
                for p in catalogue.PLANS
            ],
            payment_provider=provider.name,
            payment_provider_label=DEVELOPMENT_LABEL if provider.name == "development" else None,
        )


@strawberry.type
class BillingMutation:
    @strawberry.mutation(description="OWNER/ADMIN: buy a credit pack (returns where to pay).")
    async def buy_credits(self, info: Info[Context, Any], pack_id: str) -> BuyResult:
        actor = await authorise_mutation(info, Permission.CREDITS_BUY)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        try:
            chosen = catalogue.pack(pack_id)
        except catalogue.UnknownProduct:
            message = "Pack inconnu." if actor.locale != "en" else "Unknown pack."
            return InvalidInput(message=message, field="packId")
        provider = provider_for(info.context.settings)
        checkout = await provider.checkout_pack(
            session=info.context.session,
            organisation_id=actor.organisation_id,
            pack=chosen,
            base_url=info.context.settings.base_url,
            actor_user_id=actor.user_id,
        )
        return CheckoutPayload(
            checkout_url=checkout.url,
            provider=checkout.provider,
            completed=checkout.completed,
            price=Price.of(checkout.amount_ttc_cents),
            label=DEVELOPMENT_LABEL if checkout.provider == "development" else None,
        )
