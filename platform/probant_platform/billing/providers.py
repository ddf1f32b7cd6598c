"""Payment providers: Stripe when configured, else a development provider that pays at once.

The development provider exists so the embedded default works end to end; everything it
produces says so ("development payment — no money moved").
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.catalogue import Pack, vat_split
from probant_platform.config import Settings
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import TransactionKind

log = structlog.get_logger(__name__)

DEVELOPMENT_LABEL = "development payment — no money moved"


@dataclass(frozen=True)
class Checkout:
    url: str
    provider: str
    completed: bool
    amount_ttc_cents: int
    amount_ht_cents: int
    vat_cents: int


class DevelopmentProvider:
    name = "development"

    async def checkout_pack(
        self,
        *,
        session: AsyncSession,
        organisation_id: uuid.UUID,
        pack: Pack,
        base_url: str,
        actor_user_id: uuid.UUID,
    ) -> Checkout:
        """Complete the purchase at once: the credits are in the wallet when this returns."""
        checkout_id = f"dev_{secrets.token_hex(8)}"
        await ledger.issue(
            session=session,
            organisation_id=organisation_id,
            kind=TransactionKind.PURCHASE,
            credits=pack.credits,
            idempotency_key=f"checkout:{checkout_id}",
            reference=f"{pack.id} ({DEVELOPMENT_LABEL})",
            actor_user_id=actor_user_id,
        )
        ht, vat = vat_split(pack.price_ttc_cents)
        log.info("billing.development_purchase", pack=pack.id, label=DEVELOPMENT_LABEL)
        return Checkout(
            url=f"{base_url}/billing/completed?checkout={checkout_id}",
            provider=self.name,
            completed=True,
            amount_ttc_cents=pack.price_ttc_cents,
            amount_ht_cents=ht,
            vat_cents=vat,
        )


class PaymentsUnavailable(RuntimeError):
    """Stripe keys are set but this version has no Stripe Checkout: refuse rather than fake it."""


def provider_for(settings: Settings) -> DevelopmentProvider:
    """The development provider when no Stripe key is configured."""
    if settings.stripe_secret_key is not None:
        raise PaymentsUnavailable("Stripe Checkout is not available in this version of Probant")
    return DevelopmentProvider()
