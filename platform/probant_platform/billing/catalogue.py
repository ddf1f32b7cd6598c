"""What can be bought: credit packs and monthly plans. Amounts are integer cents, VAT 20 %.

The catalogue lives in `catalogue_products` (seeded by migration 0700 from the product rules:
1 credit = 9.90 € TTC / 8.25 € HT; degressive packs of 6, 12 and 30; Premium 60 credits a
month and 5 seats; Business 180 and 20). Operators edit it, and may set a negotiated price
of a product for one organisation (`catalogue_overrides`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.models import CatalogueProduct, PriceOverride, ProductKind
from probant_platform.db import utcnow
from probant_platform.errors import DomainError

VAT_RATE_PERCENT = 20
MAX_PRICE_CENTS = 10_000_000


def vat_split(ttc_cents: int) -> tuple[int, int]:
    """(HT, VAT) such that HT + VAT == TTC exactly."""
    ht = round(ttc_cents * 100 / (100 + VAT_RATE_PERCENT))
    return ht, ttc_cents - ht


@dataclass(frozen=True)
class Product:
    """A product as one organisation sees it (its negotiated price, if any)."""

    id: str
    kind: ProductKind
    name: str
    credits: int
    seats: int | None
    price_ttc_cents: int
    rollover: bool
    refund_on_rejection: bool
    active: bool
    negotiated: bool
    pricing_rule: str = "PER_DEPOSIT"


class UnknownProduct(DomainError):
    code = "UNKNOWN_PRODUCT"
    message_fr = "Ce produit n'existe pas ou n'est plus proposé."
    message_en = "This product does not exist or is no longer offered."


class InvalidProduct(DomainError):
    code = "INVALID_PRODUCT"
    message_fr = "Valeurs refusées : prix et crédits positifs, sièges positifs pour un abonnement."
    message_en = "Refused: prices and credits must be positive, and plans need seats."


def _product(row: CatalogueProduct, override: int | None) -> Product:
    return Product(
        id=row.id,
        kind=row.kind,
        name=row.name,
        credits=row.credits,
        seats=row.seats,
        price_ttc_cents=override if override is not None else row.price_ttc_cents,
        rollover=row.rollover,
        refund_on_rejection=row.refund_on_rejection,
        active=row.active,
        negotiated=override is not None,
        pricing_rule=row.pricing_rule,
    )


async def products(
    *, session: AsyncSession, organisation_id: uuid.UUID | None, include_inactive: bool = False
) -> list[Product]:
    """The catalogue in display order, with the organisation's negotiated prices."""
    query = select(CatalogueProduct, PriceOverride.price_ttc_cents).outerjoin(
        PriceOverride,
        (PriceOverride.product_id == CatalogueProduct.id)
        & (PriceOverride.organisation_id == organisation_id),
    )
    if not include_inactive:
        query = query.where(CatalogueProduct.active.is_(True))
    rows = await session.execute(query.order_by(CatalogueProduct.position, CatalogueProduct.id))
    return [_product(row, override) for row, override in rows.all()]


async def product(
    *, session: AsyncSession, organisation_id: uuid.UUID | None, product_id: str, kind: ProductKind
) -> Product:
    """One active product of `kind`, else UnknownProduct."""
    for candidate in await products(session=session, organisation_id=organisation_id):
        if candidate.id == product_id and candidate.kind is kind:
            return candidate
    raise UnknownProduct()


async def update_product(
    *,
    session: AsyncSession,
    product_id: str,
    name: str | None = None,
    price_ttc_cents: int | None = None,
    credits: int | None = None,
    seats: int | None = None,
    rollover: bool | None = None,
    refund_on_rejection: bool | None = None,
    active: bool | None = None,
    pricing_rule: str | None = None,
) -> Product:
    """Operators: change a product (row-level security refuses anyone else)."""
    row = await session.get(CatalogueProduct, product_id)
    if row is None:
        raise UnknownProduct()
    if name is not None:
        if not name.strip() or len(name) > 80:
            raise InvalidProduct()
        row.name = name.strip()
    if price_ttc_cents is not None:
        if not 0 < price_ttc_cents <= MAX_PRICE_CENTS:
            raise InvalidProduct()
        row.price_ttc_cents = price_ttc_cents
    if credits is not None:
        if not 0 < credits <= 100_000:
            raise InvalidProduct()
        row.credits = credits
    if seats is not None:
        if row.kind is not ProductKind.PLAN or not 0 < seats <= 10_000:
            raise InvalidProduct()
        row.seats = seats
    if pricing_rule is not None:
        if row.kind is not ProductKind.PLAN or pricing_rule not in ("PER_DEPOSIT", "PER_ITEM"):
            raise InvalidProduct()
        row.pricing_rule = pricing_rule
    for field, value in (
        ("rollover", rollover),
        ("refund_on_rejection", refund_on_rejection),
        ("active", active),
    ):
        if value is not None:
            setattr(row, field, value)
    row.updated_at = utcnow()
    await session.flush()
    return _product(row, None)


async def set_price_override(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    product_id: str,
    price_ttc_cents: int | None,
) -> None:
    """Operators: a negotiated price for one organisation (None removes it)."""
    if await session.get(CatalogueProduct, product_id) is None:
        raise UnknownProduct()
    existing = await session.get(PriceOverride, (product_id, organisation_id))
    if price_ttc_cents is None:
        if existing is not None:
            await session.delete(existing)
        await session.flush()
        return
    if not 0 < price_ttc_cents <= MAX_PRICE_CENTS:
        raise InvalidProduct()
    if existing is None:
        session.add(
            PriceOverride(
                product_id=product_id,
                organisation_id=organisation_id,
                price_ttc_cents=price_ttc_cents,
            )
        )
    else:
        existing.price_ttc_cents = price_ttc_cents
        existing.updated_at = utcnow()
    await session.flush()
