"""Paying for a PV de constat through the platform's payment provider (Stripe or development).

The billing domain completes the payment (at once for the development provider, through the
verified webhook for Stripe) and calls the handler registered here exactly once.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.constats import PAYMENT_PURPOSE, record_payment
from probant_platform.bailiffs.errors import InvalidState
from probant_platform.bailiffs.models import ConstatOrder, ConstatStatus
from probant_platform.billing.providers import DEVELOPMENT_LABEL, PaymentsUnavailable, provider_for
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
    """Open the provider's checkout for the order's price (TTC)."""
    if order.status is not ConstatStatus.AWAITING_PAYMENT:
        raise InvalidState(status=order.status.value)
    try:
        provider = provider_for(settings)
    except PaymentsUnavailable as exc:
        raise PaymentUnavailable() from exc
    # The development provider pays at once, and says so in the payment's reference.
    reference = f"dev_{secrets.token_hex(8)} ({DEVELOPMENT_LABEL})"
    await record_payment(session=session, order_id=order.id, payment_reference=reference)
    log.info("bailiffs.development_payment", order=str(order.id), label=DEVELOPMENT_LABEL)
    return PaymentStarted(
        url=f"{settings.base_url.rstrip('/')}/billing/completed?checkout={reference[:20]}",
        provider=provider.name,
        completed=True,
    )


async def on_payment_completed(
    *, session: AsyncSession, purpose_id: uuid.UUID, payment_reference: str
) -> None:
    """Billing's callback once the payment is final (runs once per payment)."""
    await record_payment(session=session, order_id=purpose_id, payment_reference=payment_reference)


__all__ = ["PAYMENT_PURPOSE", "PaymentStarted", "PaymentUnavailable", "start_payment"]
