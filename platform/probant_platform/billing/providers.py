"""Payment providers: Stripe when `STRIPE_SECRET_KEY` is set, else a development provider.

The development provider exists so the embedded default works end to end: it completes a
payment at once, and everything it produces says so ("development payment — no money
moved"). Both expose the same four operations: buy a pack, subscribe to a plan, pay another
domain's purchase (`checkout_payment`), and open the customer's billing portal.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import catalogue, subscriptions
from probant_platform.billing.catalogue import Product, vat_split
from probant_platform.billing.models import (
    BillingCustomer,
    ProductKind,
    Purchase,
    PurchaseStatus,
)
from probant_platform.billing.payments import (
    PACK_PURPOSE,
    PLAN_PURPOSE,
    complete_purchase,
    new_purchase,
    register_payment_handler,
)
from probant_platform.config import Settings
from probant_platform.errors import DomainError
from probant_tenants.models import Organisation

log = structlog.get_logger(__name__)

DEVELOPMENT_LABEL = "development payment — no money moved"
__all__ = [
    "DEVELOPMENT_LABEL",
    "Checkout",
    "DevelopmentProvider",
    "PaymentProvider",
    "PaymentsUnavailable",
    "PortalUnavailable",
    "StripeProvider",
    "provider_for",
    "register_payment_handler",
]


@dataclass(frozen=True)
class Checkout:
    url: str
    provider: str
    completed: bool
    amount_ttc_cents: int
    amount_ht_cents: int
    vat_cents: int
    purchase_id: uuid.UUID | None = None


class PaymentsUnavailable(DomainError):
    code = "PAYMENTS_UNAVAILABLE"
    message_fr = "Le prestataire de paiement ne répond pas ; réessayez dans quelques minutes."
    message_en = "The payment provider is not answering; try again in a few minutes."


class AlreadySubscribed(DomainError):
    code = "ALREADY_SUBSCRIBED"
    message_fr = (
        "Un abonnement est déjà en cours : changez d'offre depuis le portail de facturation."
    )
    message_en = "A subscription is already running: change plans from the billing portal."


class PortalUnavailable(DomainError):
    code = "PORTAL_UNAVAILABLE"
    message_fr = (
        "Paiements de développement : pas de portail de facturation ; "
        "changez d'abonnement depuis le catalogue."
    )
    message_en = "Development payments: no billing portal; change plan from the catalogue."


def _checkout(
    url: str, provider: str, completed: bool, ttc: int, purchase: uuid.UUID | None
) -> Checkout:
    ht, vat = vat_split(ttc)
    return Checkout(url, provider, completed, ttc, ht, vat, purchase)


class PaymentProvider(Protocol):
    name: str

    async def checkout_pack(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        pack: Product,
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

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str: ...


class _OneOffPayments:
    """Packs and other domains' purchases: a purchase row, then the provider's `_open`."""

    name: str

    def _reference(self) -> str:
        raise NotImplementedError

    async def _open(self, session: AsyncSession, purchase: Purchase, base_url: str) -> Checkout:
        raise NotImplementedError

    async def checkout_pack(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        pack: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """Development: credits are in the wallet when this returns; Stripe: on the webhook."""
        purchase = new_purchase(
            organisation_id=organisation_id,
            provider=self.name,
            purpose=PACK_PURPOSE,
            description=pack.name,
            amount_ttc_cents=pack.price_ttc_cents,
            external_id=self._reference(),
            credits=pack.credits,
            product_id=pack.id,
            actor_user_id=actor_user_id,
        )
        return await self._open(session, purchase, base_url)

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
        purchase = new_purchase(
            organisation_id=organisation_id,
            provider=self.name,
            purpose=purpose,
            purpose_id=purpose_id,
            description=description,
            amount_ttc_cents=amount_ttc_cents,
            external_id=self._reference(),
            actor_user_id=actor_user_id,
        )
        return await self._open(session, purchase, base_url)


class DevelopmentProvider(_OneOffPayments):
    name = "development"

    def _reference(self) -> str:
        return f"dev_{secrets.token_hex(10)}"

    async def _open(self, session: AsyncSession, purchase: Purchase, base_url: str) -> Checkout:
        session.add(purchase)
        await session.flush()
        await complete_purchase(
            session=session, purchase=purchase, payment_reference=purchase.external_id
        )
        log.info("billing.development_payment", purpose=purchase.purpose, label=DEVELOPMENT_LABEL)
        return _checkout(
            f"{base_url.rstrip('/')}/billing/completed?purchase={purchase.id}",
            self.name,
            True,
            purchase.amount_ttc_cents,
            purchase.id,
        )

    async def subscribe(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        plan: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """Active at once with its first allotment; renewed monthly by the period-end job."""
        subscription = await subscriptions.start_development(
            session=session, organisation_id=organisation_id, plan=plan
        )
        purchase = new_purchase(
            organisation_id=organisation_id,
            provider=self.name,
            purpose=PLAN_PURPOSE,
            description=f"{plan.name} — {subscription.current_period_start:%Y-%m-%d}",
            amount_ttc_cents=plan.price_ttc_cents,
            external_id=self._reference(),
            product_id=plan.id,
            actor_user_id=actor_user_id,
        )
        return await self._open(session, purchase, base_url)

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str:
        raise PortalUnavailable()


class StripeProvider(_OneOffPayments):
    """Stripe Checkout (payments and subscriptions) and the customer portal."""

    name = "stripe"

    def __init__(self, settings: Settings):
        import stripe

        assert settings.stripe_secret_key is not None
        self._stripe = stripe
        self._key = settings.stripe_secret_key.get_secret_value()
        self._addresses: Any = (
            {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        )

    async def _call(self, request: Callable[[Any], Awaitable[Any]]) -> Any:
        """One API call on a fresh HTTP client, closed afterwards (no socket left open)."""
        http = self._stripe.HTTPXClient()
        client = self._stripe.StripeClient(
            self._key, base_addresses=self._addresses, http_client=http, max_network_retries=2
        )
        try:
            return await request(client)
        except self._stripe.StripeError as exc:
            log.warning("billing.stripe_error", error=type(exc).__name__, detail=str(exc)[:300])
            raise PaymentsUnavailable() from exc
        finally:
            await http.close_async()

    async def customer(self, *, session: AsyncSession, organisation_id: uuid.UUID) -> str:
        """The organisation's Stripe customer, created on first use."""
        found = await session.execute(
            select(BillingCustomer.external_id).where(
                BillingCustomer.organisation_id == organisation_id
            )
        )
        existing = found.scalar_one_or_none()
        if existing is not None:
            return existing
        organisation = await session.get(Organisation, organisation_id)
        created = await self._call(
            lambda c: c.v1.customers.create_async(
                params={
                    "name": organisation.name if organisation else str(organisation_id),
                    "metadata": {"organisation_id": str(organisation_id)},
                },
                options={"idempotency_key": f"customer-{organisation_id}"},
            )
        )
        session.add(
            BillingCustomer(
                organisation_id=organisation_id, provider=self.name, external_id=created.id
            )
        )
        await session.flush()
        return str(created.id)

    def _reference(self) -> str:
        return f"pending_{uuid.uuid4().hex}"

    async def _open(self, session: AsyncSession, purchase: Purchase, base_url: str) -> Checkout:
        customer = await self.customer(session=session, organisation_id=purchase.organisation_id)
        base = base_url.rstrip("/")
        created = await self._call(
            lambda c: c.v1.checkout.sessions.create_async(
                params={
                    "mode": "payment",
                    "customer": customer,
                    "client_reference_id": str(purchase.organisation_id),
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": "eur",
                                "unit_amount": purchase.amount_ttc_cents,
                                "product_data": {"name": purchase.description},
                            },
                        }
                    ],
                    "invoice_creation": {"enabled": True},
                    "metadata": {
                        "organisation_id": str(purchase.organisation_id),
                        "purchase_id": str(purchase.id),
                        "purpose": purchase.purpose,
                    },
                    "success_url": f"{base}/billing/completed?purchase={purchase.id}",
                    "cancel_url": f"{base}/billing/cancelled?purchase={purchase.id}",
                },
                options={"idempotency_key": f"checkout-{purchase.id}"},
            )
        )
        purchase.external_id = created.id
        session.add(purchase)
        await session.flush()
        return _checkout(created.url, self.name, False, purchase.amount_ttc_cents, purchase.id)

    async def subscribe(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        plan: Product,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """A Checkout Session in subscription mode; credits come with each `invoice.paid`.

        A second Checkout would start a second Stripe subscription (billed twice): while one
        runs, plan changes go through the customer portal.
        """
        running = await subscriptions.current(session=session, organisation_id=organisation_id)
        if (
            running is not None
            and running.provider == self.name
            and running.status in subscriptions.SEATED
        ):
            raise AlreadySubscribed()
        customer = await self.customer(session=session, organisation_id=organisation_id)
        base = base_url.rstrip("/")
        metadata = {"organisation_id": str(organisation_id), "plan_id": plan.id}
        created = await self._call(
            lambda c: c.v1.checkout.sessions.create_async(
                params={
                    "mode": "subscription",
                    "customer": customer,
                    "client_reference_id": str(organisation_id),
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": "eur",
                                "unit_amount": plan.price_ttc_cents,
                                "recurring": {"interval": "month"},
                                "product_data": {"name": plan.name},
                            },
                        }
                    ],
                    "metadata": {**metadata, "purpose": PLAN_PURPOSE},
                    "subscription_data": {"metadata": metadata},
                    "success_url": f"{base}/billing/completed?plan={plan.id}",
                    "cancel_url": f"{base}/billing/cancelled?plan={plan.id}",
                }
            )
        )
        return _checkout(created.url, self.name, False, plan.price_ttc_cents, None)

    async def portal_url(
        self, *, session: AsyncSession, organisation_id: uuid.UUID, base_url: str
    ) -> str:
        customer = await self.customer(session=session, organisation_id=organisation_id)
        created = await self._call(
            lambda c: c.v1.billing_portal.sessions.create_async(
                params={"customer": customer, "return_url": f"{base_url.rstrip('/')}/"}
            )
        )
        return str(created.url)

    async def invoice(self, invoice_id: str) -> dict[str, Any] | None:
        """The invoice (for its hosted link), or None if Stripe cannot give it now."""
        try:
            found = await self._call(lambda c: c.v1.invoices.retrieve_async(invoice_id))
        except PaymentsUnavailable:
            log.warning("billing.invoice_unavailable", invoice=invoice_id)
            return None
        invoice: dict[str, Any] = found.to_dict()
        return invoice

    async def subscription(self, subscription_id: str) -> Any:
        """The subscription as Stripe has it now (webhooks re-read rather than trust order)."""
        found = await self._call(lambda c: c.v1.subscriptions.retrieve_async(subscription_id))
        return found.to_dict()


def provider_for(settings: Settings) -> DevelopmentProvider | StripeProvider:
    """Stripe when a secret key is configured, else the labelled development provider."""
    if settings.stripe_secret_key is not None:
        return StripeProvider(settings)
    return DevelopmentProvider()


async def checkout_product(
    *,
    settings: Settings,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    product_id: str,
    kind: ProductKind,
    actor_user_id: uuid.UUID,
) -> Checkout:
    """Where to pay for a pack or a plan of the organisation's catalogue (its own prices)."""
    product = await catalogue.product(
        session=session, organisation_id=organisation_id, product_id=product_id, kind=kind
    )
    provider = provider_for(settings)
    if kind is ProductKind.PACK:
        return await provider.checkout_pack(
            session=session,
            organisation_id=organisation_id,
            pack=product,
            base_url=settings.base_url,
            actor_user_id=actor_user_id,
        )
    return await provider.subscribe(
        session=session,
        organisation_id=organisation_id,
        plan=product,
        base_url=settings.base_url,
        actor_user_id=actor_user_id,
    )


async def purchases(
    *, session: AsyncSession, organisation_id: uuid.UUID, limit: int = 100
) -> list[Purchase]:
    """The organisation's paid purchases, newest first (receipts)."""
    found = await session.execute(
        select(Purchase)
        .where(Purchase.organisation_id == organisation_id, Purchase.status == PurchaseStatus.PAID)
        .order_by(Purchase.created_at.desc())
        .limit(limit)
    )
    return list(found.scalars())
