"""Paying for a PV de constat through the platform's payment provider (Stripe or development).

The billing domain completes the payment (at once for the development provider, through the
verified webhook for Stripe) and calls the handler registered here exactly once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.constats import PAYMENT_PURPOSE, record_payment
from probant_platform.bailiffs.errors import InvalidState
from probant_platform.bailiffs.models import ConstatOrder, ConstatStatus
from probant_platform.billing.providers import (
    DEVELOPMENT_LABEL,
    PaymentsUnavailable,
    provider_for,
    register_payment_handler,
)
from probant_platform.config import Settings
from probant_platform.errors import DomainError

log = structlog.get_logger(__name__)


class PaymentUnavailable(DomainError):
    code = "PAYMENT_UNAVAILABLE"
    message_fr = "Le paiement en ligne n'est pas disponible pour les PV de constat ici."
    message_en = "Online payment of PV de constat is not available here."


@dataclass(frozen=True)
class PaymentStarted:
    url: str
    provider: str
    completed: bool


async def start_payment(
    *,
    session: AsyncSession,
    settings: Settings,
    order: ConstatOrder,
    actor_user_id: uuid.UUID,
) -> PaymentStarted:
    """Open the provider's checkout for the order's price (TTC).

    The development provider pays at once (the order moves on in this transaction); with
    Stripe the order waits for the verified webhook, which calls `on_payment_completed`.
    """
    if order.status is not ConstatStatus.AWAITING_PAYMENT:
        raise InvalidState(status=order.status.value)
    provider = provider_for(settings)
    try:
        checkout = await provider.checkout_payment(
            session=session,
            organisation_id=order.organisation_id,
            purpose=PAYMENT_PURPOSE,
            purpose_id=order.id,
            description=f"PV de constat de dépôt — commande {str(order.id)[:8]}",
            amount_ttc_cents=order.price_ttc_cents,
            base_url=settings.base_url,
            actor_user_id=actor_user_id,
        )
    except PaymentsUnavailable as exc:
        raise PaymentUnavailable() from exc
    if checkout.provider == "development":
        log.info("bailiffs.development_payment", order=str(order.id), label=DEVELOPMENT_LABEL)
    return PaymentStarted(
        url=checkout.url, provider=checkout.provider, completed=checkout.completed
    )


async def on_payment_completed(
    *, session: AsyncSession, purpose_id: uuid.UUID, payment_reference: str
) -> None:
    """Billing's callback once the payment is final (runs once per payment)."""
    await record_payment(session=session, order_id=purpose_id, payment_reference=payment_reference)


register_payment_handler(PAYMENT_PURPOSE, on_payment_completed)


__all__ = ["PAYMENT_PURPOSE", "PaymentStarted", "PaymentUnavailable", "start_payment"]
