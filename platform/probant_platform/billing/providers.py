"""Payment providers: Stripe when `STRIPE_SECRET_KEY` is set, else a development provider.

The development provider completes every payment at once so the embedded default works end
to end; everything it produces says so ("development payment — no money moved").
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import payments, subscriptions
from probant_platform.billing.catalogue import vat_split
from probant_platform.billing.errors import InvalidPrice
from probant_platform.billing.models import Purchase
from probant_platform.billing.payments import register_payment_handler
from probant_platform.billing.products import Product
from probant_platform.config import Settings
from probant_platform.db import utcnow

log = structlog.get_logger(__name__)

DEVELOPMENT_LABEL = "development payment — no money moved"

__all__ = [
    "DEVELOPMENT_LABEL",
    "Checkout",
    "DevelopmentProvider",
    "PaymentProvider",
    "provider_for",
    "refund_on_rejection",
    "register_payment_handler",
]


@dataclass(frozen=True)
class Checkout:
    """Where the payer goes next, and what they pay (TTC = HT + VAT, in cents)."""

    url: str
    provider: str
    completed: bool
    amount_ttc_cents: int
    amount_ht_cents: int
    vat_cents: int
    purchase_id: uuid.UUID | None = None

    @classmethod
    def of(
        cls,
        *,
        url: str,
        provider: str,
        completed: bool,
        ttc: int,
        purchase_id: uuid.UUID | None = None,
    ) -> Checkout:
        ht, vat = vat_split(ttc)
        return cls(url, provider, completed, ttc, ht, vat, purchase_id)


class PaymentProvider(Protocol):
    name: str
    label: str | None

    async def checkout_product(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        pack: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout: ...

    async def checkout_payment(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        purpose: str,
        purpose_id: uuid.UUID,
        description: str,
        amount_ttc_cents: int,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout: ...

    async def subscribe(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        plan: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout: ...

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str: ...


MAX_PAYMENT_CENTS = 10_000_000


def check_payment(purpose: str, amount_ttc_cents: int) -> None:
    if not isinstance(amount_ttc_cents, int) or not 1 <= amount_ttc_cents <= MAX_PAYMENT_CENTS:
        raise InvalidPrice()
    if not payments.has_handler(purpose):
        raise payments.UnknownPurpose(purpose)


class DevelopmentProvider:
    """Pays at once, moves no money, and says so on everything it produces."""

    name = "development"
    label: str | None = DEVELOPMENT_LABEL

    async def _pay(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        purpose: str,
        purpose_id: str | None,
        description: str,
        credits: int,
        amount_ttc_cents: int,
        base_url: str,
        actor_user_id: uuid.UUID | None,
    ) -> Checkout:
        reference = f"dev_{secrets.token_hex(12)}"
        purchase = await payments.new_purchase(
            session=session,
            organisation_id=organisation_id,
            provider=self.name,
            external_id=reference,
            purpose=purpose,
            purpose_id=purpose_id,
            description=f"{description} ({DEVELOPMENT_LABEL})",
            credits=credits,
            amount_ttc_cents=amount_ttc_cents,
            actor_user_id=actor_user_id,
        )
        await payments.complete(session=session, purchase=purchase, payment_reference=reference)
        log.info("billing.development_payment", purpose=purpose, label=DEVELOPMENT_LABEL)
        return Checkout.of(
            url=f"{base_url}/billing/completed?checkout={reference}",
            provider=self.name,
            completed=True,
            ttc=amount_ttc_cents,
            purchase_id=purchase.id,
        )

    async def checkout_product(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        pack: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """Complete the purchase at once: the credits are in the wallet when this returns."""
        return await self._pay(
            session=session,
            organisation_id=organisation_id,
            purpose=payments.CREDITS,
            purpose_id=pack.id,
            description=pack.name,
            credits=pack.credits,
            amount_ttc_cents=pack.price_ttc_cents,
            base_url=base_url,
            actor_user_id=actor_user_id,
        )

    async def checkout_payment(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        purpose: str,
        purpose_id: uuid.UUID,
        description: str,
        amount_ttc_cents: int,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """Pay at once; the purpose's handler has run when this returns."""
        check_payment(purpose, amount_ttc_cents)
        return await self._pay(
            session=session,
            organisation_id=organisation_id,
            purpose=purpose,
            purpose_id=str(purpose_id),
            description=description,
            credits=0,
            amount_ttc_cents=amount_ttc_cents,
            base_url=base_url,
            actor_user_id=actor_user_id,
        )

    async def subscribe(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        plan: Product,
        base_url: str,
        actor_user_id: uuid.UUID | None,
        now: datetime | None = None,
    ) -> Checkout:
        """Start the plan now: seats apply and the first month's credits are allotted."""
        start = now or utcnow()
        end = subscriptions.add_month(start)
        external_id = f"dev_sub_{secrets.token_hex(12)}"
        await subscriptions.apply_state(
            session=session,
            organisation_id=organisation_id,
            state=subscriptions.SubscriptionState(
                provider=self.name,
                external_id=external_id,
                plan_id=plan.id,
                status="active",
                period_start=start,
                period_end=end,
            ),
        )
        await subscriptions.allot(
            session=session,
            organisation_id=organisation_id,
            subscription_external_id=external_id,
            plan_id=plan.id,
            period_start=start,
            period_end=end,
            label="development",
        )
        return await self._pay(
            session=session,
            organisation_id=organisation_id,
            purpose=payments.SUBSCRIPTION,
            purpose_id=plan.id,
            description=f"{plan.name} {start:%Y-%m}",
            credits=0,
            amount_ttc_cents=plan.price_ttc_cents,
            base_url=base_url,
            actor_user_id=actor_user_id,
        )

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str:
        """No provider portal: the admin's own billing page."""
        return f"{base_url}/billing/portal?provider=development"


def provider_for(settings: Settings) -> PaymentProvider:
    """Stripe when `STRIPE_SECRET_KEY` is set; otherwise the development provider."""
    if settings.stripe_secret_key is not None:
        from probant_platform.billing.stripe_provider import StripeProvider

        return StripeProvider(settings)
    return DevelopmentProvider()


async def refund_on_rejection(*, session: AsyncSession, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation's plan refunds credits when a bailiff rejects (default: no)."""
    found = await subscriptions.current(session, organisation_id)
    if found is None or found.status not in subscriptions.LIVE_STATUSES:
        return False
    chosen = await subscriptions.plan(session, organisation_id, found.plan_id)
    return chosen.refund_on_rejection


async def purchases(*, session: AsyncSession, organisation_id: uuid.UUID) -> list[Purchase]:
    """The organisation's purchases, newest first."""
    found = await session.execute(
        select(Purchase)
        .where(Purchase.organisation_id == organisation_id)
        .order_by(Purchase.created_at.desc(), Purchase.id)
    )
    return list(found.scalars().all())
