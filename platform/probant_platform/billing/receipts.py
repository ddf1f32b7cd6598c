"""PDF receipts for development-provider purchases, and the signed links that serve them.

Stripe purchases link Stripe's own hosted invoice instead.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from probant_platform.billing.models import Purchase
from probant_platform.config import Settings
from probant_platform.documents.render import Templates
from probant_platform.storage.signing import signed_media_path, verify

TEMPLATES = Templates(Path(__file__).parent / "templates")
LINK_PURPOSE = "receipt-urls"
VARIANT = "receipt"
LINK_TTL_SECONDS = 600
DEVELOPMENT_NOTICE = {
    "fr": "paiement de développement — aucun argent n'a circulé",
    "en": "development payment — no money moved",
}

TEXT = {
    "fr": {
        "title": "Reçu",
        "customer": "Client :",
        "reference": "Référence :",
        "date": "Payé le :",
        "item": "Objet :",
        "ht": "Montant HT",
        "vat": "TVA 20 %",
        "ttc": "Montant TTC",
        "footer": "reçu de paiement",
    },
    "en": {
        "title": "Receipt",
        "customer": "Customer:",
        "reference": "Reference:",
        "date": "Paid on:",
        "item": "Item:",
        "ht": "Amount excl. VAT",
        "vat": "VAT 20 %",
        "ttc": "Amount incl. VAT",
        "footer": "payment receipt",
    },
}


def euros(cents: int, locale: str) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d} €" if locale != "en" else f"€{whole}.{rest:02d}"


def has_receipt(purchase: Purchase) -> bool:
    return purchase.provider == "development" and purchase.paid_at is not None


def receipt_pdf(*, purchase: Purchase, organisation_name: str, locale: str = "fr") -> bytes:
    """The receipt: HT, VAT and TTC; development purchases say no money moved."""
    locale = "en" if locale == "en" else "fr"
    development = purchase.provider == "development"
    text = dict(TEXT[locale], development=DEVELOPMENT_NOTICE[locale])
    if development and locale == "fr":
        # Operators read logs and receipts in English too: keep the canonical label visible.
        text["development"] = f"{DEVELOPMENT_NOTICE['fr']} ({DEVELOPMENT_NOTICE['en']})"
    paid = purchase.paid_at or purchase.created_at
    return TEMPLATES.pdf(
        "receipt.html.j2",
        lang=locale,
        t=text,
        development=development,
        purchase=purchase,
        organisation_name=organisation_name,
        paid_at=f"{paid:%Y-%m-%d %H:%M} UTC",
        ht=euros(purchase.amount_ht_cents, locale),
        vat=euros(purchase.vat_cents, locale),
        ttc=euros(purchase.amount_ttc_cents, locale),
    )


def receipt_path(*, settings: Settings, organisation_id: uuid.UUID, purchase_id: uuid.UUID) -> str:
    """A short-lived link to the receipt PDF: the link itself is the permission."""
    media_path = signed_media_path(
        secret=settings.derived_secret(LINK_PURPOSE),
        organisation_id=organisation_id,
        item_id=purchase_id,
        variant=VARIANT,
        ttl=LINK_TTL_SECONDS,
    )
    return "/receipts/" + media_path.removeprefix("/media/")


def link_is_valid(
    *,
    settings: Settings,
    organisation_id: uuid.UUID,
    purchase_id: uuid.UUID,
    expires: int,
    variant: str,
    signature: str,
) -> bool:
    return variant == VARIANT and verify(
        secret=settings.derived_secret(LINK_PURPOSE),
        organisation_id=organisation_id,
        item_id=purchase_id,
        expires=expires,
        variant=variant,
        signature=signature,
    )
