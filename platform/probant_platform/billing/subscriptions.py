"""Plans on an organisation: subscription state, seats, monthly allotments and their expiry.

Expiry rule (plans that do not roll over): allotted credits are spent before any others.
At the end of a period the organisation wallet loses what is left of that period's
allotment: the allotment minus everything the organisation wallet spent or handed to
members since the allotment arrived, never more than the wallet holds beyond newer
allotments not yet swept. Bought credits never expire; credits handed to members are theirs.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import column, func, select, table, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.models import Allotment, ProductKind, Subscription
from probant_platform.billing.products import Product, product
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import (
    AccountKind,
    LedgerAccount,
    LedgerEntry,
    TransactionKind,
)

log = structlog.get_logger(__name__)

# Seats live on the organisation (tenants' table); billing only sets them from the plan.
ORGANISATIONS = table("organisations", column("id"), column("seat_limit"))

# Stripe statuses in which the plan's seats and credits apply.
LIVE_STATUSES = frozenset({"active", "trialing", "past_due"})


@dataclass(frozen=True)
class SubscriptionState:
    """What the provider says of a subscription (re-read, never taken from event order)."""

    provider: str
    external_id: str
    plan_id: str
    status: str
    period_start: datetime
    period_end: datetime
    cancel_at_period_end: bool = False


def add_month(moment: datetime) -> datetime:
    """The same day and time next month (clamped to the month's last day)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


async def plan(session: AsyncSession, organisation_id: uuid.UUID, plan_id: str) -> Product:
    return await product(
        session=session,
        product_id=plan_id,
        organisation_id=organisation_id,
        kind=ProductKind.PLAN,
        include_inactive=True,
    )


async def current(session: AsyncSession, organisation_id: uuid.UUID) -> Subscription | None:
    found = await session.execute(
        select(Subscription).where(Subscription.organisation_id == organisation_id)
    )
    return found.scalar_one_or_none()


async def apply_state(
    *, session: AsyncSession, organisation_id: uuid.UUID, state: SubscriptionState
) -> Subscription | None:
    """Record the subscription's state and the plan's seat limit; None if it was ignored.

    An older subscription that ended does not overwrite a newer live one.
    """
    existing = (
        await session.execute(
            select(Subscription)
            .where(Subscription.organisation_id == organisation_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    live = state.status in LIVE_STATUSES
    if existing is not None and existing.external_id != state.external_id:
        if not live and existing.status in LIVE_STATUSES:
            return None
        await session.delete(existing)
        await session.flush()
        existing = None
    chosen = await plan(session, organisation_id, state.plan_id)
    if existing is None:
        existing = Subscription(organisation_id=organisation_id, external_id=state.external_id)
        session.add(existing)
    existing.provider = state.provider
    existing.plan_id = chosen.id
    existing.status = state.status
    existing.current_period_start = state.period_start
    existing.current_period_end = state.period_end
    existing.cancel_at_period_end = state.cancel_at_period_end
    existing.updated_at = utcnow()
    await session.execute(
        update(ORGANISATIONS)
        .where(ORGANISATIONS.c.id == organisation_id)
        .values(seat_limit=chosen.seats if live else None)
    )
    await session.flush()
    log.info(
        "billing.subscription_state",
        provider=state.provider,
        plan=chosen.id,
        status=state.status,
    )
    return existing


async def allot(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    subscription_external_id: str,
    plan_id: str,
    period_start: datetime,
    period_end: datetime,
    label: str = "",
) -> bool:
    """The plan's monthly credits for one period, once (False when already given)."""
    chosen = await plan(session, organisation_id, plan_id)
    inserted = await session.execute(
        insert(Allotment)
        .values(
            id=uuid.uuid4(),
            organisation_id=organisation_id,
            subscription_external_id=subscription_external_id,
            plan_id=chosen.id,
            credits=chosen.credits,
            period_start=period_start,
            period_end=period_end,
            expires=not chosen.rollover,
        )
        .on_conflict_do_nothing()
        .returning(Allotment.id)
    )
    inserted_id = inserted.scalar_one_or_none()
    if inserted_id is None:
        return False
    reference = f"{chosen.name} {period_start:%Y-%m-%d}" + (f" ({label})" if label else "")
    moved = await ledger.issue(
        session=session,
        organisation_id=organisation_id,
        kind=TransactionKind.ALLOTMENT,
        credits=chosen.credits,
        idempotency_key=f"allotment:{subscription_external_id}:{int(period_start.timestamp())}",
        reference=reference[:200],
    )
    entry = await session.execute(
        select(LedgerEntry.id).where(LedgerEntry.transaction_id == moved.id, LedgerEntry.amount > 0)
    )
    await session.execute(
        update(Allotment)
        .where(Allotment.id == inserted_id)
        .values(ledger_entry_id=entry.scalar_one())
    )
    return True


async def _spent_since(
    session: AsyncSession, organisation_id: uuid.UUID, entry_id: int | None
) -> int:
    """Credits that left the organisation wallet after entry `entry_id`."""
    if entry_id is None:
        return 0
    found = await session.execute(
        select(func.coalesce(func.sum(-LedgerEntry.amount), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(
            LedgerAccount.organisation_id == organisation_id,
            LedgerAccount.kind == AccountKind.ORGANISATION_WALLET,
            LedgerEntry.organisation_id == organisation_id,
            LedgerEntry.id > entry_id,
            LedgerEntry.amount < 0,
        )
    )
    return int(found.scalar_one())


async def sweep_allotment(
    *, session: AsyncSession, organisation_id: uuid.UUID, allotment_id: uuid.UUID
) -> int:
    """Close one ended period: expire its unused credits if the plan says so. Returns them."""
    row = (
        await session.execute(
            select(Allotment)
            .where(Allotment.id == allotment_id, Allotment.swept_at.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if row is None:
        return 0
    expired = 0
    if row.expires:
        newer = await session.execute(
            select(func.coalesce(func.sum(Allotment.credits), 0)).where(
                Allotment.organisation_id == organisation_id,
                Allotment.swept_at.is_(None),
                Allotment.period_start > row.period_start,
            )
        )
        wallet = await ledger.balance(session=session, organisation_id=organisation_id)
        unused = row.credits - await _spent_since(session, organisation_id, row.ledger_entry_id)
        expired = max(0, min(unused, wallet - int(newer.scalar_one())))
        if expired:
            await ledger.record(
                session=session,
                organisation_id=organisation_id,
                kind=TransactionKind.EXPIRY,
                credits=expired,
                leg=ledger.Leg(source=AccountKind.ORGANISATION_WALLET, target=AccountKind.EXPIRY),
                idempotency_key=f"expiry:{row.id}",
                reference=f"{row.plan_id} {row.period_start:%Y-%m-%d}",
            )
    row.swept_at = utcnow()
    row.expired_credits = expired
    await session.flush()
    return expired


async def renew_development(
    *, session: AsyncSession, organisation_id: uuid.UUID, now: datetime
) -> int:
    """Roll a development subscription over every ended period, allotting each; periods done."""
    subscription = (
        await session.execute(
            select(Subscription)
            .where(
                Subscription.organisation_id == organisation_id,
                Subscription.provider == "development",
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    renewed = 0
    while (
        subscription is not None
        and subscription.status == "active"
        and subscription.current_period_end <= now
    ):
        start = subscription.current_period_end
        end = add_month(start)
        if subscription.cancel_at_period_end:
            subscription.status = "canceled"
            await session.execute(
                update(ORGANISATIONS)
                .where(ORGANISATIONS.c.id == organisation_id)
                .values(seat_limit=None)
            )
            break
        subscription.current_period_start, subscription.current_period_end = start, end
        await allot(
            session=session,
            organisation_id=organisation_id,
            subscription_external_id=subscription.external_id,
            plan_id=subscription.plan_id,
            period_start=start,
            period_end=end,
            label="development",
        )
        renewed += 1
    await session.flush()
    return renewed


@dataclass(frozen=True)
class SweepReport:
    periods_closed: int
    credits_expired: int
    development_renewals: int


async def close_periods(*, database: Database, now: datetime | None = None) -> SweepReport:
    """Expire what ended periods leave, then renew development subscriptions (job and CLI)."""
    now = now or utcnow()
    async with database.unit_of_work() as session:
        due = (
            await session.execute(
                text(
                    "SELECT organisation_id, allotment_id FROM probant_billing_allotments_due(:n)"
                ),
                {"n": now},
            )
        ).all()
    closed = expired = 0
    for organisation_id, allotment_id in due:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            expired += await sweep_allotment(
                session=session, organisation_id=organisation_id, allotment_id=allotment_id
            )
            closed += 1
    async with database.unit_of_work() as session:
        renewals = (
            (
                await session.execute(
                    text("SELECT organisation_id FROM probant_billing_renewals_due(:n)"), {"n": now}
                )
            )
            .scalars()
            .all()
        )
    renewed = 0
    for organisation_id in renewals:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            renewed += await renew_development(
                session=session, organisation_id=organisation_id, now=now
            )
    if closed or renewed:
        log.info("billing.periods_closed", closed=closed, expired=expired, renewed=renewed)
    return SweepReport(closed, expired, renewed)
