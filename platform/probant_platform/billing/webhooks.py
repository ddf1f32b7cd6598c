"""Applying verified Stripe events exactly once, whatever order they arrive in.

Each event's id is stored (unique) in the transaction of its effect, inside the tenant's
row-level-security scope; a replay finds the id and does nothing. State that order could
corrupt (subscriptions) is re-read from Stripe instead of taken from the event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
import structlog
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import payments, subscriptions
from probant_platform.billing.errors import UnknownProduct
from probant_platform.billing.models import PurchaseStatus, StripeEvent
from probant_platform.billing.stripe_api import client
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope

log = structlog.get_logger(__name__)

CHECKOUT_EVENTS = frozenset(
    {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
)
SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
    }
)
HANDLED = CHECKOUT_EVENTS | SUBSCRIPTION_EVENTS | {"invoice.paid"}


@dataclass(frozen=True)
class Outcome:
    status: str  # "applied", "replayed", "ignored"


def _timestamp(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


def subscription_state(data: dict[str, Any]) -> subscriptions.SubscriptionState | None:
    """Our view of a Stripe subscription; periods sit on its items in recent API versions."""
    metadata = data.get("metadata") or {}
    plan_id = metadata.get("plan_id")
    items = (data.get("items") or {}).get("data") or [{}]
    start = data.get("current_period_start") or items[0].get("current_period_start")
    end = data.get("current_period_end") or items[0].get("current_period_end")
    if not plan_id or start is None or end is None:
        return None
    return subscriptions.SubscriptionState(
        provider="stripe",
        external_id=str(data["id"]),
        plan_id=str(plan_id),
        status=str(data.get("status", "")),
        period_start=_timestamp(start),
        period_end=_timestamp(end),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
    )


def invoice_subscription(invoice: dict[str, Any]) -> str | None:
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = parent.get("subscription") or invoice.get("subscription")
    return str(found) if found else None


class StripeEvents:
    def __init__(self, *, settings: Settings, database: Database):
        self.settings = settings
        self.database = database
        self.client = client(settings)

    async def _fetch_subscription(self, subscription_id: str) -> dict[str, Any] | None:
        try:
            found = await self.client.v1.subscriptions.retrieve_async(subscription_id)
        except stripe.InvalidRequestError:
            return None
        data: dict[str, Any] = found.to_dict()
        return data

    async def _organisation(self, customer: Any, metadata: dict[str, Any]) -> uuid.UUID | None:
        """The tenant: from our stored customer when known, else from our own metadata."""
        async with self.database.unit_of_work() as session:
            if customer:
                known = (
                    await session.execute(
                        text("SELECT probant_billing_customer_tenant(:c)"), {"c": str(customer)}
                    )
                ).scalar_one_or_none()
                if known is not None:
                    claimed = metadata.get("organisation_id")
                    if claimed and claimed != str(known):
                        log.warning("billing.webhook_tenant_mismatch")
                        return None
                    return uuid.UUID(str(known))
        try:
            return uuid.UUID(str(metadata.get("organisation_id")))
        except ValueError:
            return None

    async def handle(self, event: dict[str, Any]) -> Outcome:
        kind = str(event.get("type", ""))
        if kind not in HANDLED:
            return Outcome("ignored")
        obj: dict[str, Any] = event["data"]["object"]
        subscription: dict[str, Any] | None = None
        if kind in SUBSCRIPTION_EVENTS:
            subscription = await self._fetch_subscription(obj["id"]) or obj
            metadata = subscription.get("metadata") or {}
            customer = subscription.get("customer")
        elif kind == "invoice.paid":
            subscription_id = invoice_subscription(obj)
            if subscription_id is None:
                return Outcome("ignored")
            subscription = await self._fetch_subscription(subscription_id)
            if subscription is None:
                return Outcome("ignored")
            metadata, customer = subscription.get("metadata") or {}, obj.get("customer")
        else:
            metadata, customer = obj.get("metadata") or {}, obj.get("customer")
            if obj.get("mode") == "subscription" and obj.get("subscription"):
                subscription = await self._fetch_subscription(str(obj["subscription"]))
        organisation_id = await self._organisation(customer, metadata)
        if organisation_id is None:
            log.warning("billing.webhook_without_tenant", type=kind)
            return Outcome("ignored")
        scope = TenantScope(organisation_id=organisation_id)
        async with self.database.unit_of_work(scope) as session:
            exists = await session.execute(
                text("SELECT 1 FROM organisations WHERE id = :id"), {"id": organisation_id}
            )
            if exists.scalar_one_or_none() is None:
                return Outcome("ignored")
            stored = await session.execute(
                insert(StripeEvent)
                .values(id=str(event["id"])[:100], type=kind, organisation_id=organisation_id)
                .on_conflict_do_nothing()
                .returning(StripeEvent.id)
            )
            if stored.scalar_one_or_none() is None:
                return Outcome("replayed")
            await self._apply(session, organisation_id, kind, obj, subscription)
        log.info("billing.webhook_applied", type=kind)
        return Outcome("applied")

    async def _apply(
        self,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        kind: str,
        obj: dict[str, Any],
        subscription: dict[str, Any] | None,
    ) -> None:
        state = subscription_state(subscription) if subscription else None
        if state is not None:
            try:
                await subscriptions.apply_state(
                    session=session, organisation_id=organisation_id, state=state
                )
            except UnknownProduct:
                log.warning("billing.webhook_unknown_plan", plan=state.plan_id)
                return
        if kind in CHECKOUT_EVENTS and obj.get("mode") == "payment":
            await self._checkout_paid(session, obj)
        elif kind == "invoice.paid" and state is not None:
            await self._invoice_paid(session, organisation_id, obj, state)

    async def _checkout_paid(self, session: AsyncSession, checkout: dict[str, Any]) -> None:
        if checkout.get("payment_status") not in ("paid", "no_payment_required"):
            return
        purchase = await payments.locked_purchase(
            session, provider="stripe", external_id=str(checkout["id"])
        )
        if purchase is None:
            log.warning("billing.webhook_unknown_checkout")
            return
        invoice_url = None
        if checkout.get("invoice"):
            try:
                invoice = await self.client.v1.invoices.retrieve_async(str(checkout["invoice"]))
                invoice_url = invoice.to_dict().get("hosted_invoice_url")
            except stripe.StripeError:
                log.warning("billing.invoice_unavailable")
        reference = str(checkout.get("payment_intent") or checkout["id"])
        await payments.complete(
            session=session,
            purchase=purchase,
            payment_reference=reference,
            invoice_url=invoice_url,
        )

    async def _invoice_paid(
        self,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        invoice: dict[str, Any],
        state: subscriptions.SubscriptionState,
    ) -> None:
        lines = (invoice.get("lines") or {}).get("data") or []
        period = lines[0].get("period") if lines else None
        if not period:
            return
        start, end = _timestamp(period["start"]), _timestamp(period["end"])
        await subscriptions.allot(
            session=session,
            organisation_id=organisation_id,
            subscription_external_id=state.external_id,
            plan_id=state.plan_id,
            period_start=start,
            period_end=end,
        )
        purchase = await payments.locked_purchase(
            session, provider="stripe", external_id=str(invoice["id"])
        )
        if purchase is None:
            chosen = await subscriptions.plan(session, organisation_id, state.plan_id)
            purchase = await payments.new_purchase(
                session=session,
                organisation_id=organisation_id,
                provider="stripe",
                external_id=str(invoice["id"]),
                purpose=payments.SUBSCRIPTION,
                purpose_id=state.plan_id,
                description=f"{chosen.name} {start:%Y-%m-%d}",
                credits=0,
                amount_ttc_cents=int(invoice.get("amount_paid") or 0),
                actor_user_id=None,
            )
        if purchase.status is PurchaseStatus.PENDING:
            await payments.complete(
                session=session,
                purchase=purchase,
                payment_reference=str(invoice["id"]),
                invoice_url=invoice.get("hosted_invoice_url"),
            )
