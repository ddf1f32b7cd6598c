"""Completing a payment, once: credits for a pack, or the paying domain's handler.

Other domains sell through the payment provider too (a PV de constat is paid in euros): they
register a handler for their purpose, called exactly once, inside the tenant's transaction,
when the payment completes — at once with the development provider, on Stripe's verified
`checkout.session.completed` webhook otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.catalogue import vat_split
from probant_platform.billing.models import Purchase, PurchaseStatus
from probant_platform.db import utcnow
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import TransactionKind

log = structlog.get_logger(__name__)

PACK_PURPOSE = "pack"
PLAN_PURPOSE = "plan"


class PaymentHandler(Protocol):
    def __call__(
        self, *, session: AsyncSession, purpose_id: uuid.UUID, payment_reference: str
    ) -> Awaitable[None]: ...


_handlers: dict[str, PaymentHandler] = {}


def register_payment_handler(purpose: str, handler: PaymentHandler) -> None:
    """Call `handler` once when a payment made for `purpose` completes."""
    if purpose in (PACK_PURPOSE, PLAN_PURPOSE):
        raise ValueError(f"{purpose!r} is billing's own purpose")
    _handlers[purpose] = handler


def new_purchase(
    *,
    organisation_id: uuid.UUID,
    provider: str,
    purpose: str,
    description: str,
    amount_ttc_cents: int,
    external_id: str,
    credits: int = 0,
    product_id: str | None = None,
    purpose_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
) -> Purchase:
    ht, vat = vat_split(amount_ttc_cents)
    return Purchase(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        provider=provider,
        purpose=purpose,
        purpose_id=purpose_id,
        product_id=product_id,
        description=description[:200],
        credits=credits,
        amount_ttc_cents=amount_ttc_cents,
        amount_ht_cents=ht,
        vat_cents=vat,
        status=PurchaseStatus.PENDING,
        external_id=external_id,
        actor_user_id=actor_user_id,
    )


async def complete_purchase(
    *, session: AsyncSession, purchase: Purchase, payment_reference: str
) -> bool:
    """Apply a paid purchase once; False when it was already applied."""
    if purchase.status is PurchaseStatus.PAID:
        return False
    purchase.status = PurchaseStatus.PAID
    purchase.paid_at = utcnow()
    if purchase.purpose == PACK_PURPOSE:
        await ledger.issue(
            session=session,
            organisation_id=purchase.organisation_id,
            kind=TransactionKind.PURCHASE,
            credits=purchase.credits,
            idempotency_key=f"purchase:{purchase.id}",
            reference=f"{purchase.description} ({purchase.provider})",
            actor_user_id=purchase.actor_user_id,
        )
    elif purchase.purpose in _handlers:
        assert purchase.purpose_id is not None
        await _handlers[purchase.purpose](
            session=session, purpose_id=purchase.purpose_id, payment_reference=payment_reference
        )
    elif purchase.purpose != PLAN_PURPOSE:
        log.error("billing.no_handler", purpose=purchase.purpose, purchase=str(purchase.id))
        raise LookupError(f"no payment handler for {purchase.purpose!r}")
    await session.flush()
    log.info(
        "billing.purchase_paid",
        purchase=str(purchase.id),
        purpose=purchase.purpose,
        provider=purchase.provider,
    )
    return True
