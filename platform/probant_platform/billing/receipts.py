"""Receipts: a PDF for each paid purchase, behind a short-lived signed link.

Stripe purchases also link Stripe's own invoice; development purchases say on the receipt
that no money moved.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import structlog

from probant_platform.billing.models import Purchase
from probant_platform.config import Settings
from probant_platform.documents.pki import SigningUnavailable, platform_signer
from probant_platform.documents.render import Templates
from probant_platform.documents.signing import sign_pdf_async
from probant_platform.documents.timestamps import long_term_async
from probant_platform.storage.signing import sign_path, verify_path

log = structlog.get_logger(__name__)
TEMPLATES = Templates(Path(__file__).parent / "templates")
LINK_TTL_SECONDS = 600

TEXT = {
    "fr": {
        "title": "Reçu",
        "development": "Paiement de développement — aucun argent n'a circulé.",
        "customer": "Client",
        "date": "Date du paiement",
        "item": "Objet",
        "credits": "crédits",
        "ht": "Montant HT",
        "vat": "TVA (20 %)",
        "ttc": "Montant TTC",
        "provider": "Prestataire de paiement",
        "reference": "Référence",
        "footer": "reçu émis automatiquement",
    },
    "en": {
        "title": "Receipt",
        "development": "Development payment — no money moved.",
        "customer": "Customer",
        "date": "Payment date",
        "item": "Item",
        "credits": "credits",
        "ht": "Amount excl. VAT",
        "vat": "VAT (20 %)",
        "ttc": "Amount incl. VAT",
        "provider": "Payment provider",
        "reference": "Reference",
        "footer": "receipt issued automatically",
    },
}


def euros(cents: int, locale: str) -> str:
    whole, rest = divmod(cents, 100)
    if locale == "en":
        return f"€{whole:,}.{rest:02d}"
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d} €"


def receipt_number(purchase: Purchase) -> str:
    return f"R-{purchase.created_at:%Y%m}-{str(purchase.id)[:8].upper()}"


def render_receipt(purchase: Purchase, *, organisation_name: str, locale: str = "fr") -> bytes:
    lang = "en" if locale == "en" else "fr"
    paid = purchase.paid_at or purchase.created_at
    return TEMPLATES.pdf(
        "receipt.html.j2",
        lang=lang,
        t=TEXT[lang],
        number=receipt_number(purchase),
        development=purchase.provider == "development",
        organisation=organisation_name,
        paid_at=f"{paid:%Y-%m-%d %H:%M} UTC",
        description=purchase.description,
        credits=purchase.credits,
        ht=euros(purchase.amount_ht_cents, lang),
        vat=euros(purchase.vat_cents, lang),
        ttc=euros(purchase.amount_ttc_cents, lang),
        provider="Stripe" if purchase.provider == "stripe" else TEXT[lang]["development"],
        reference=purchase.external_id,
    )


def _path(organisation_id: uuid.UUID, purchase_id: uuid.UUID) -> str:
    return f"/billing/receipts/{organisation_id}/{purchase_id}"


def receipt_path(settings: Settings, *, organisation_id: uuid.UUID, purchase_id: uuid.UUID) -> str:
    """A link to the receipt, valid for ten minutes."""
    return sign_path(
        secret=settings.derived_secret("billing-receipts"),
        path=_path(organisation_id, purchase_id),
        ttl=LINK_TTL_SECONDS,
    )


def verify_link(
    settings: Settings,
    *,
    organisation_id: uuid.UUID,
    purchase_id: uuid.UUID,
    expires: int,
    signature: str,
) -> bool:
    return verify_path(
        secret=settings.derived_secret("billing-receipts"),
        path=_path(organisation_id, purchase_id),
        expires=expires,
        signature=signature,
    )


async def sign_receipt(settings: Settings, pdf: bytes, *, locale: str = "fr") -> bytes:
    """The receipt signed by the platform, PAdES B-T with B-LT validation data like every PDF
    we issue; unsigned (and logged) only where no signing certificate or TSA is configured."""
    try:
        signer = await asyncio.to_thread(platform_signer, settings)
        stamping = await long_term_async(settings)
    except SigningUnavailable as exc:
        log.warning("receipt.unsigned", reason=str(exc))
        return pdf
    return await sign_pdf_async(
        pdf, signer, reason="Reçu" if locale != "en" else "Receipt", long_term=stamping
    )
