"""Operators negotiate a product's price for one organisation."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import catalogue
from probant_platform.db import TenantScope
from probant_platform.db.session import acting_as
from probant_tenants import audit
from probant_tenants.audit import AuditAction


async def set_negotiated_price(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    operator_user_id: uuid.UUID,
    product_id: str,
    price_ttc_cents: int | None,
) -> catalogue.Product:
    """Set (or, with None, remove) the organisation's price, recorded in its audit log; the
    product as it now sees it."""
    async with acting_as(
        session, TenantScope(organisation_id=organisation_id, user_id=operator_user_id)
    ):
        await catalogue.set_price_override(
            session=session,
            organisation_id=organisation_id,
            product_id=product_id,
            price_ttc_cents=price_ttc_cents,
        )
        await audit.record(
            session=session,
            organisation_id=organisation_id,
            action=AuditAction.PRICE_NEGOTIATED,
            actor_user_id=operator_user_id,
            target=product_id,
            details={"price_ttc_cents": price_ttc_cents},
        )
        products = await catalogue.products(
            session=session, organisation_id=organisation_id, include_inactive=True
        )
    return next(p for p in products if p.id == product_id)
