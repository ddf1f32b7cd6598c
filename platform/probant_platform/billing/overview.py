"""Operators look at one organisation: its wallet, members, plan and prices, read in its scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing import catalogue, subscriptions
from probant_platform.billing.models import Subscription
from probant_platform.db import TenantScope
from probant_platform.db.session import acting_as
from probant_platform.ledger import services as ledger
from probant_tenants.models import Membership, Role


@dataclass(frozen=True)
class Overview:
    balance: int
    member_count: int
    subscription: Subscription | None
    products: list[catalogue.Product]
    list_prices: dict[str, int]  # the catalogue's own price of each product, in cents TTC


async def list_prices(*, session: AsyncSession) -> dict[str, int]:
    """Each product's catalogue price (before any negotiation)."""
    listed = await catalogue.products(session=session, organisation_id=None, include_inactive=True)
    return {p.id: p.price_ttc_cents for p in listed}


async def organisation_overview(
    *, session: AsyncSession, organisation_id: uuid.UUID, operator_user_id: uuid.UUID
) -> Overview:
    """Read in the organisation's own scope (its wallet and prices are its rows); the
    operator's scope comes back afterwards."""
    listed = await list_prices(session=session)
    scope = TenantScope(organisation_id=organisation_id, user_id=operator_user_id)
    async with acting_as(session, scope):
        balance = await ledger.balance(session=session, organisation_id=organisation_id)
        members = (
            await session.execute(
                select(func.count())
                .select_from(Membership)
                .where(
                    Membership.organisation_id == organisation_id,
                    Membership.role != Role.PARTNER,
                )
            )
        ).scalar_one()
        found = await subscriptions.current(session=session, organisation_id=organisation_id)
        products = await catalogue.products(
            session=session, organisation_id=organisation_id, include_inactive=True
        )
    return Overview(
        balance=balance,
        member_count=int(members),
        subscription=found,
        products=products,
        list_prices=listed,
    )
