"""Stripe Checkout for packs, plans and one-off payments; one Stripe customer per organisation.

Nothing is paid here: the credits, allotments and purpose handlers run when the signed
webhook says so (billing/webhooks.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import stripe
import structlog
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import payments, subscriptions
from probant_platform.billing.errors import (
    AlreadySubscribed,
    NoSubscription,
    PaymentProviderError,
)
from probant_platform.billing.models import BillingCustomer
from probant_platform.billing.products import Product
from probant_platform.billing.providers import Checkout, check_payment
from probant_platform.billing.stripe_api import client
from probant_platform.config import Settings

log = structlog.get_logger(__name__)

CURRENCY = "eur"


async def customer_id(session: AsyncSession, organisation_id: uuid.UUID) -> str | None:
    found = await session.execute(
        select(BillingCustomer.customer_id).where(
            BillingCustomer.organisation_id == organisation_id
        )
    )
    return found.scalar_one_or_none()


class StripeProvider:
    name = "stripe"
    label: str | None = None

    def __init__(self, settings: Settings):
        self.settings = settings
        self.client = client(settings)

    async def _customer(self, session: AsyncSession, organisation_id: uuid.UUID) -> str:
        """The organisation's Stripe customer, created on first use."""
        existing = await customer_id(session, organisation_id)
        if existing is not None:
            return existing
        name = (
            await session.execute(
                text("SELECT name FROM organisations WHERE id = :id"), {"id": organisation_id}
            )
        ).scalar_one()
        created = await self._call(
            self.client.v1.customers.create_async(
                params={"name": name, "metadata": {"organisation_id": str(organisation_id)}},
                options={"idempotency_key": f"customer-{organisation_id}"},
            )
        )
        await session.execute(
            insert(BillingCustomer)
            .values(id=uuid.uuid4(), organisation_id=organisation_id, customer_id=created["id"])
            .on_conflict_do_nothing()
        )
        stored = await customer_id(session, organisation_id)
        assert stored is not None
        return stored

    async def _call(self, request: Any) -> dict[str, Any]:
        try:
            result = await request
        except stripe.StripeError as exc:
            log.warning(
                "billing.stripe_error",
                error=type(exc).__name__,
                status=exc.http_status,
                detail=str(exc)[:300],
            )
            raise PaymentProviderError() from exc
        data: dict[str, Any] = result.to_dict()
        return data

    async def _payment_session(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        purpose: str,
        purpose_id: str,
        description: str,
        credits: int,
        amount_ttc_cents: int,
        base_url: str,
        actor_user_id: uuid.UUID | None,
    ) -> Checkout:
        customer = await self._customer(session, organisation_id)
        purchase_id = uuid.uuid4()
        metadata = {
            "organisation_id": str(organisation_id),
            "purpose": purpose,
            "purpose_id": purpose_id,
            "purchase_id": str(purchase_id),
        }
        if purpose == payments.CREDITS:
            metadata["product"] = purpose_id
        created = await self._call(
            self.client.v1.checkout.sessions.create_async(
                params={
                    "mode": "payment",
                    "customer": customer,
                    "client_reference_id": str(organisation_id),
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": CURRENCY,
                                "unit_amount": amount_ttc_cents,
                                "tax_behavior": "inclusive",
                                "product_data": {"name": description[:200]},
                            },
                        }
                    ],
                    "metadata": metadata,
                    "payment_intent_data": {"metadata": metadata},
                    "invoice_creation": {"enabled": True},
                    "success_url": f"{base_url}/billing/completed?checkout={{CHECKOUT_SESSION_ID}}",
                    "cancel_url": f"{base_url}/billing/cancelled",
                },
                options={"idempotency_key": f"checkout-{purchase_id}"},
            )
        )
        await payments.new_purchase(
            session=session,
            organisation_id=organisation_id,
            provider=self.name,
            external_id=created["id"],
            purpose=purpose,
            purpose_id=purpose_id,
            description=description,
            credits=credits,
            amount_ttc_cents=amount_ttc_cents,
            actor_user_id=actor_user_id,
            purchase_id=purchase_id,
        )
        log.info("billing.stripe_checkout", purpose=purpose, checkout=created["id"])
        return Checkout.of(
            url=created["url"],
            provider=self.name,
            completed=False,
            ttc=amount_ttc_cents,
            purchase_id=purchase_id,
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
        """A Checkout Session (mode=payment); the credits come with the webhook."""
        return await self._payment_session(
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
        """A Checkout Session for a one-off payment; the purpose's handler runs on the webhook."""
        check_payment(purpose, amount_ttc_cents)
        return await self._payment_session(
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
    ) -> Checkout:
        """A Checkout Session (mode=subscription); allotments come with each `invoice.paid`."""
        existing = await subscriptions.current(session, organisation_id)
        if (
            existing is not None
            and existing.provider == self.name
            and existing.status in subscriptions.LIVE_STATUSES
        ):
            raise AlreadySubscribed()
        customer = await self._customer(session, organisation_id)
        metadata = {"organisation_id": str(organisation_id), "plan_id": plan.id}
        created = await self._call(
            self.client.v1.checkout.sessions.create_async(
                params={
                    "mode": "subscription",
                    "customer": customer,
                    "client_reference_id": str(organisation_id),
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": CURRENCY,
                                "unit_amount": plan.price_ttc_cents,
                                "tax_behavior": "inclusive",
                                "recurring": {"interval": "month"},
                                "product_data": {"name": plan.name},
                            },
                        }
                    ],
                    "metadata": {**metadata, "purpose": payments.SUBSCRIPTION},
                    "subscription_data": {"metadata": metadata},
                    "success_url": f"{base_url}/billing/completed?checkout={{CHECKOUT_SESSION_ID}}",
                    "cancel_url": f"{base_url}/billing/cancelled",
                }
            )
        )
        log.info("billing.stripe_subscription_checkout", plan=plan.id, checkout=created["id"])
        return Checkout.of(
            url=created["url"], provider=self.name, completed=False, ttc=plan.price_ttc_cents
        )

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str:
        """A Stripe customer-portal session to manage the subscription and invoices."""
        customer = await customer_id(session, organisation_id)
        if customer is None:
            raise NoSubscription()
        created = await self._call(
            self.client.v1.billing_portal.sessions.create_async(
                params={"customer": customer, "return_url": f"{base_url}/billing/completed"}
            )
        )
        url: str = created["url"]
        return url
