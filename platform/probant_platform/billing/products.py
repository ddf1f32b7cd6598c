"""The catalogue as sold: products stored in the database, with per-organisation prices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.errors import InvalidPrice, InvalidProductField, UnknownProduct
from probant_platform.billing.models import BillingProduct, PriceOverride, ProductKind
from probant_platform.db import utcnow

MAX_PRICE_CENTS = 10_000_000
MAX_CREDITS = 100_000
MAX_SEATS = 10_000


@dataclass(frozen=True)
class Product:
    """A pack or a plan at the price this organisation pays (TTC cents, VAT included)."""

    id: str
    kind: ProductKind
    name: str
    credits: int
    seats: int | None
    price_ttc_cents: int
    list_price_ttc_cents: int
    rollover: bool
    refund_on_rejection: bool
    active: bool

    @property
    def overridden(self) -> bool:
        return self.price_ttc_cents != self.list_price_ttc_cents


def _product(row: BillingProduct, override: int | None) -> Product:
    return Product(
        id=row.id,
        kind=row.kind,
        name=row.name,
        credits=row.credits,
        seats=row.seats,
        price_ttc_cents=override if override is not None else row.price_ttc_cents,
        list_price_ttc_cents=row.price_ttc_cents,
        rollover=row.rollover,
        refund_on_rejection=row.refund_on_rejection,
        active=row.active,
    )


async def products(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID | None,
    kind: ProductKind | None = None,
    include_inactive: bool = False,
) -> list[Product]:
    """The catalogue in display order, with the organisation's own prices where it has any."""
    query = select(BillingProduct).order_by(BillingProduct.position, BillingProduct.id)
    if kind is not None:
        query = query.where(BillingProduct.kind == kind)
    if not include_inactive:
        query = query.where(BillingProduct.active.is_(True))
    rows = (await session.execute(query)).scalars().all()
    overrides: dict[str, int] = {}
    if organisation_id is not None:
        found = await session.execute(
            select(PriceOverride.product_id, PriceOverride.price_ttc_cents).where(
                PriceOverride.organisation_id == organisation_id
            )
        )
        overrides = {product_id: price for product_id, price in found.all()}
    return [_product(row, overrides.get(row.id)) for row in rows]


async def product(
    *,
    session: AsyncSession,
    product_id: str,
    organisation_id: uuid.UUID | None,
    kind: ProductKind | None = None,
    include_inactive: bool = False,
) -> Product:
    """One product at the organisation's price; `UnknownProduct` if absent or off sale."""
    for candidate in await products(
        session=session,
        organisation_id=organisation_id,
        kind=kind,
        include_inactive=include_inactive,
    ):
        if candidate.id == product_id:
            return candidate
    raise UnknownProduct()


def _check_price(cents: int) -> None:
    if not isinstance(cents, int) or not 1 <= cents <= MAX_PRICE_CENTS:
        raise InvalidPrice()


def _check_range(field: str, value: int | None, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise InvalidProductField(field=field)


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
) -> Product:
    """Operators: change a product; unset arguments keep their value."""
    row = await session.get(BillingProduct, product_id)
    if row is None:
        raise UnknownProduct()
    if price_ttc_cents is not None:
        _check_price(price_ttc_cents)
        row.price_ttc_cents = price_ttc_cents
    _check_range("credits", credits, 1, MAX_CREDITS)
    _check_range("seats", seats, 1, MAX_SEATS)
    if name is not None:
        if not name.strip() or len(name) > 100:
            raise InvalidProductField(field="name")
        row.name = name.strip()
    if seats is not None and row.kind is not ProductKind.PLAN:
        raise InvalidProductField(field="seats")
    updates = {
        "credits": credits,
        "seats": seats,
        "rollover": rollover,
        "refund_on_rejection": refund_on_rejection,
        "active": active,
    }
    for field, value in updates.items():
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
) -> Product:
    """Operators: the organisation's own price for a product (None: back to the list price)."""
    if await session.get(BillingProduct, product_id) is None:
        raise UnknownProduct()
    if price_ttc_cents is None:
        existing = (
            await session.execute(
                select(PriceOverride).where(
                    PriceOverride.organisation_id == organisation_id,
                    PriceOverride.product_id == product_id,
                )
            )
        ).scalar_one_or_none()
        if existing is not None:
            await session.delete(existing)
            await session.flush()
    else:
        _check_price(price_ttc_cents)
        await session.execute(
            insert(PriceOverride)
            .values(
                id=uuid.uuid4(),
                organisation_id=organisation_id,
                product_id=product_id,
                price_ttc_cents=price_ttc_cents,
            )
            .on_conflict_do_update(
                index_elements=["organisation_id", "product_id"],
                set_={"price_ttc_cents": price_ttc_cents, "updated_at": utcnow()},
            )
        )
    return await product(
        session=session,
        product_id=product_id,
        organisation_id=organisation_id,
        include_inactive=True,
    )
