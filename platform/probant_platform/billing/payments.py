"""Completing a payment: credits for a pack, or the paying domain's own handler (e.g. a constat).

Other domains register a handler for their `purpose`; it runs exactly once, in the
transaction that marks the purchase paid (at once with the development provider, on the
verified `checkout.session.completed` webhook with Stripe).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.catalogue import vat_split
from probant_platform.billing.models import Purchase, PurchaseStatus
from probant_platform.db import utcnow
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import TransactionKind

log = structlog.get_logger(__name__)

CREDITS = "credits"
SUBSCRIPTION = "subscription"


class PaymentHandler(Protocol):
    def __call__(
        self, *, session: AsyncSession, purpose_id: uuid.UUID, payment_reference: str
    ) -> Awaitable[None]: ...


_handlers: dict[str, PaymentHandler] = {}


class UnknownPurpose(LookupError):
    """A payment completed for a purpose nobody registered a handler for."""


def register_payment_handler(purpose: str, handler: PaymentHandler) -> None:
    """Call `handler` once when a payment for `purpose` completes (last registration wins)."""
    if purpose in (CREDITS, SUBSCRIPTION):
        raise ValueError(f"purpose {purpose!r} is reserved for billing itself")
    _handlers[purpose] = handler


def has_handler(purpose: str) -> bool:
    return purpose in (CREDITS, SUBSCRIPTION) or purpose in _handlers


async def new_purchase(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    provider: str,
    external_id: str,
    purpose: str,
    purpose_id: str | None,
    description: str,
    credits: int,
    amount_ttc_cents: int,
    actor_user_id: uuid.UUID | None,
    purchase_id: uuid.UUID | None = None,
) -> Purchase:
    """A purchase waiting for its payment, with its HT/VAT/TTC split."""
    ht, vat = vat_split(amount_ttc_cents)
    purchase = Purchase(
        id=purchase_id or uuid.uuid4(),
        organisation_id=organisation_id,
        provider=provider,
        external_id=external_id,
        purpose=purpose,
        purpose_id=purpose_id,
        description=description[:200],
        credits=credits,
        amount_ttc_cents=amount_ttc_cents,
        amount_ht_cents=ht,
        vat_cents=vat,
        status=PurchaseStatus.PENDING,
        actor_user_id=actor_user_id,
    )
    session.add(purchase)
    await session.flush()
    return purchase


async def locked_purchase(
    session: AsyncSession, *, provider: str, external_id: str
) -> Purchase | None:
    found = await session.execute(
        select(Purchase)
        .where(Purchase.provider == provider, Purchase.external_id == external_id)
        .with_for_update()
    )
    return found.scalar_one_or_none()


async def complete(
    *,
    session: AsyncSession,
    purchase: Purchase,
    payment_reference: str,
    invoice_url: str | None = None,
) -> bool:
    """Mark `purchase` paid and give what it bought; False if it was already paid.

    The caller holds the purchase's row lock, so two completions cannot both pass.
    """
    if purchase.status is PurchaseStatus.PAID:
        return False
    purchase.status = PurchaseStatus.PAID
    purchase.paid_at = utcnow()
    if invoice_url:
        purchase.invoice_url = invoice_url[:1000]
    if purchase.purpose == CREDITS:
        await ledger.issue(
            session=session,
            organisation_id=purchase.organisation_id,
            kind=TransactionKind.PURCHASE,
            credits=purchase.credits,
            idempotency_key=f"purchase:{purchase.provider}:{purchase.external_id}"[:200],
            reference=purchase.description,
            actor_user_id=purchase.actor_user_id,
        )
    elif purchase.purpose != SUBSCRIPTION:
        handler = _handlers.get(purchase.purpose)
        if handler is None or purchase.purpose_id is None:
            raise UnknownPurpose(purchase.purpose)
        await handler(
            session=session,
            purpose_id=uuid.UUID(purchase.purpose_id),
            payment_reference=payment_reference,
        )
    await session.flush()
    log.info(
        "billing.payment_completed",
        provider=purchase.provider,
        purpose=purchase.purpose,
        purchase=str(purchase.id),
    )
    return True
