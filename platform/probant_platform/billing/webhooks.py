"""Stripe's webhook: verified on the raw body, applied once per event, whatever the order.

Every event is recorded in `payment_events` (its id is the primary key) in the same
transaction as its effect, so a replay changes nothing. Subscription state is never taken
from the event: it is re-read from Stripe, so events arriving out of order still end in the
subscription's real state.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import stripe
import structlog
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import subscriptions
from probant_platform.billing.catalogue import UnknownProduct, product
from probant_platform.billing.models import (
    PaymentEvent,
    ProductKind,
    Purchase,
    SubscriptionStatus,
)
from probant_platform.billing.payments import PLAN_PURPOSE, complete_purchase, new_purchase
from probant_platform.billing.providers import StripeProvider
from probant_platform.billing.webhooks_ignored import record_ignored
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.events.outbox import publish
from probant_tenants.models import Organisation

log = structlog.get_logger(__name__)

TOLERANCE_SECONDS = 300
STATUS = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "incomplete": SubscriptionStatus.INCOMPLETE,
    "incomplete_expired": SubscriptionStatus.CANCELED,
    "canceled": SubscriptionStatus.CANCELED,
    "paused": SubscriptionStatus.CANCELED,
}


# A delayed payment method (SEPA debit…) completes the session unpaid, then succeeds later.
CHECKOUT_PAID = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
# A renewal the card refused (Stripe retries it), or a delayed payment (SEPA debit…) that failed.
PAYMENT_FAILED = ("invoice.payment_failed", "checkout.session.async_payment_failed")


class BadSignature(ValueError):
    """The payload is not signed by Stripe with our secret (or is too old)."""


def verify(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, if `signature` is Stripe's for `payload`; else BadSignature."""
    secret = settings.stripe_webhook_secret
    if secret is None or not signature:
        raise BadSignature("missing signature or secret")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, secret.get_secret_value(), TOLERANCE_SECONDS
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    # Stripe's check bounds only the past: a header dated ahead would be replayable for as
    # long as it stays ahead. The same tolerance holds both ways.
    if _timestamp(signature) > time.time() + TOLERANCE_SECONDS:
        raise BadSignature("timestamp in the future")
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise BadSignature("not JSON") from exc
    # Only Stripe can sign, but a malformed event must still be a 400, never a server error.
    data = event.get("data") if isinstance(event, dict) else None
    obj = data.get("object") if isinstance(data, dict) else None
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance(obj, dict)
    ):
        raise BadSignature("not an event")
    return event


def _timestamp(signature: str) -> int:
    """The `t=` of a Stripe-Signature header (already checked to be present and numeric)."""
    for part in signature.split(","):
        key, _, value = part.partition("=")
        if key.strip() == "t" and value.strip().isdigit():
            return int(value)
    return 0


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _subscription_id(invoice: dict[str, Any]) -> str | None:
    if isinstance(invoice.get("subscription"), str):
        return str(invoice["subscription"])
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription")


async def _organisation(database: Database, event: dict[str, Any]) -> uuid.UUID | None:
    """The tenant: our stored customer or subscription first, our own metadata for a first event.

    When both are known they must agree: metadata naming another organisation than the one
    that owns the Stripe customer is refused.
    """
    obj = event["data"]["object"]
    from_metadata = _uuid((obj.get("metadata") or {}).get("organisation_id"))
    customer = obj.get("customer")
    subscription = _subscription_id(obj) if obj.get("object") == "invoice" else obj.get("id")
    if obj.get("object") == "checkout.session":
        subscription = obj.get("subscription")
    async with database.unit_of_work() as session:
        found = await session.execute(
            text("SELECT probant_billing_organisation(:customer, :subscription)"),
            {"customer": customer, "subscription": subscription},
        )
        known = found.scalar_one_or_none()
    if known is not None and from_metadata is not None and known != from_metadata:
        log.warning("billing.webhook_tenant_mismatch", event_id=event["id"])
        return None
    if known is None and from_metadata is not None:
        # Metadata alone names the tenant: it must exist (seen from inside it, RLS applies).
        async with database.unit_of_work(TenantScope(organisation_id=from_metadata)) as session:
            if await session.get(Organisation, from_metadata) is None:
                return None
    return known or from_metadata


async def handle(*, database: Database, settings: Settings, event: dict[str, Any]) -> str:
    """Apply a verified event once; returns what happened (for the log and the response)."""
    organisation_id = await _organisation(database, event)
    if organisation_id is None:
        log.info("billing.webhook_ignored", event_id=event["id"], type=event["type"])
        await record_ignored(database=database, event=event, reason="unknown_organisation")
        return "ignored"
    provider = StripeProvider(settings)
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        stored = await session.execute(
            insert(PaymentEvent)
            .values(
                id=str(event["id"])[:120],
                organisation_id=organisation_id,
                provider="stripe",
                type=str(event["type"])[:80],
            )
            .on_conflict_do_nothing()
            .returning(PaymentEvent.id)
        )
        if stored.scalar_one_or_none() is None:
            log.info("billing.webhook_replayed", event_id=event["id"])
            return "duplicate"
        obj = event["data"]["object"]
        kind = event["type"]
        if kind in CHECKOUT_PAID:
            await _checkout_completed(session, provider, organisation_id, obj)
        elif kind == "invoice.paid":
            await _invoice_paid(session, provider, organisation_id, obj)
        elif kind in PAYMENT_FAILED:
            await _payment_failed(session, organisation_id, str(event["id"]), obj)
        elif kind in (
            "customer.subscription.updated",
            "customer.subscription.deleted",
            "customer.subscription.created",
        ):
            await _sync_subscription(session, provider, organisation_id, str(obj["id"]))
        else:
            return "unhandled"
    log.info("billing.webhook_applied", event_id=event["id"], type=event["type"])
    return "applied"


async def _checkout_completed(
    session: AsyncSession, provider: StripeProvider, organisation_id: uuid.UUID, obj: dict[str, Any]
) -> None:
    if obj.get("mode") == "subscription":
        # Credits come with invoice.paid, never here; this only links the subscription.
        if obj.get("subscription"):
            await _sync_subscription(session, provider, organisation_id, str(obj["subscription"]))
        return
    if obj.get("payment_status") != "paid":
        return
    purchase_id = _uuid((obj.get("metadata") or {}).get("purchase_id"))
    # Locked: two events for one session (completed, async succeeded) cannot both apply it.
    purchase = (
        await session.get(Purchase, purchase_id, with_for_update=True) if purchase_id else None
    )
    if purchase is None or purchase.external_id != obj.get("id"):
        log.warning("billing.unknown_checkout", checkout=obj.get("id"))
        return
    invoice = obj.get("invoice")
    if isinstance(invoice, str):  # webhooks carry the id; the link is on the invoice itself
        invoice = await provider.invoice(invoice)
    if isinstance(invoice, dict):
        purchase.invoice_url = invoice.get("hosted_invoice_url")
    await complete_purchase(session=session, purchase=purchase, payment_reference=str(obj["id"]))


async def _sync_subscription(
    session: AsyncSession,
    provider: StripeProvider,
    organisation_id: uuid.UUID,
    subscription_id: str,
) -> Any:
    remote = await provider.subscription(subscription_id)
    metadata = dict(remote.get("metadata") or {})
    if _uuid(metadata.get("organisation_id")) != organisation_id:
        log.warning("billing.subscription_mismatch", subscription=subscription_id)
        return None
    start, end = _period(remote)
    try:
        await subscriptions.sync(
            session=session,
            organisation_id=organisation_id,
            provider="stripe",
            external_id=subscription_id,
            plan_id=str(metadata.get("plan_id")),
            status=STATUS.get(str(remote.get("status")), SubscriptionStatus.INCOMPLETE),
            period_start=start,
            period_end=end,
        )
    except UnknownProduct:
        log.error("billing.unknown_plan", subscription=subscription_id)
        return None
    return remote


def _period(remote: Any) -> tuple[Any, Any]:
    start, end = remote.get("current_period_start"), remote.get("current_period_end")
    if start is None:  # newer API versions keep the period on the items
        item = remote["items"]["data"][0]
        start, end = item["current_period_start"], item["current_period_end"]
    return subscriptions.period_bounds(int(start), int(end))


async def _invoice_paid(
    session: AsyncSession, provider: StripeProvider, organisation_id: uuid.UUID, obj: dict[str, Any]
) -> None:
    subscription_id = _subscription_id(obj)
    if not subscription_id:
        return
    remote = await _sync_subscription(session, provider, organisation_id, subscription_id)
    if remote is None:
        return
    plan_id = str((remote.get("metadata") or {}).get("plan_id"))
    plan = await product(
        session=session, organisation_id=organisation_id, product_id=plan_id, kind=ProductKind.PLAN
    )
    line = obj["lines"]["data"][0]
    period_start, _ = subscriptions.period_bounds(
        int(line["period"]["start"]), int(line["period"]["end"])
    )
    await subscriptions.allot(
        session=session,
        organisation_id=organisation_id,
        plan=plan,
        subscription_ref=subscription_id,
        period_start=period_start,
    )
    existing = await session.execute(select(Purchase.id).where(Purchase.external_id == obj["id"]))
    if existing.scalar_one_or_none() is None:
        purchase = new_purchase(
            organisation_id=organisation_id,
            provider="stripe",
            purpose=PLAN_PURPOSE,
            description=f"{plan.name} — {period_start:%Y-%m-%d}",
            amount_ttc_cents=int(obj.get("amount_paid") or 0),
            external_id=str(obj["id"]),
            product_id=plan.id,
        )
        purchase.invoice_url = obj.get("hosted_invoice_url")
        session.add(purchase)
        await complete_purchase(session=session, purchase=purchase, payment_reference=obj["id"])


async def _payment_failed(
    session: AsyncSession, organisation_id: uuid.UUID, event_id: str, obj: dict[str, Any]
) -> None:
    """Publish `payment.failed` (its admins are told) in the event's own transaction."""
    data: dict[str, Any] = {"provider": "stripe", "provider_reference": str(obj.get("id"))[:120]}
    if obj.get("object") == "invoice":
        if not _subscription_id(obj):
            log.info("billing.failed_invoice_without_subscription", invoice=obj.get("id"))
            return
        data["purpose"] = PLAN_PURPOSE
        data["amount_cents"] = _whole(obj.get("amount_due"))
        data["attempt"] = _whole(obj.get("attempt_count"))
        retry = _whole(obj.get("next_payment_attempt"))
        # Stripe retries a refused renewal on its own; null once it has given up.
        data["next_attempt_at"] = datetime.fromtimestamp(retry, UTC).isoformat() if retry else None
    else:
        purchase_id = _uuid((obj.get("metadata") or {}).get("purchase_id"))
        purchase = await session.get(Purchase, purchase_id) if purchase_id else None
        if purchase is None or purchase.external_id != obj.get("id"):
            log.warning("billing.unknown_checkout", checkout=obj.get("id"))
            return
        data["purpose"] = purchase.purpose
        if purchase.purpose == "constat" and purchase.purpose_id is not None:
            data["order_id"] = str(purchase.purpose_id)  # a PV de constat's order
        data["amount_cents"] = purchase.amount_ttc_cents
    await publish(
        session,
        organisation_id=organisation_id,
        type="payment.failed",
        key=f"payment.failed:stripe:{event_id}",
        data=data,
    )


def _whole(value: Any) -> int:
    """An integer Stripe sent, or 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
