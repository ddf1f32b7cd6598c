"""Plans: the subscription row, monthly allotments, seats, and the end of each period.

Rule for unused credits (documented in docs/billing.md): a period's allotment is consumed
before any other credits, so when a period of a plan without rollover ends, the organisation
wallet loses what is left of that allotment, that is the allotment minus everything the
organisation wallet spent or handed to members since it arrived, and never more than the
balance, as an `EXPIRY` entry. Bought credits therefore never expire; credits already handed
to members are theirs. Plans with rollover keep everything.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.billing.catalogue import Product, product
from probant_platform.billing.models import ProductKind, Subscription, SubscriptionStatus
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import AccountKind, TransactionKind
from probant_tenants.models import Organisation

log = structlog.get_logger(__name__)

SEATED = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)


def add_month(moment: datetime) -> datetime:
    """The same day and time a month later (clamped to the month's last day)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


async def current(*, session: AsyncSession, organisation_id: uuid.UUID) -> Subscription | None:
    found = await session.execute(
        select(Subscription).where(Subscription.organisation_id == organisation_id)
    )
    return found.scalar_one_or_none()


async def plan_of(*, session: AsyncSession, organisation_id: uuid.UUID) -> Product | None:
    """The organisation's plan while its subscription is active."""
    subscription = await current(session=session, organisation_id=organisation_id)
    if subscription is None or subscription.status not in SEATED:
        return None
    return await product(
        session=session,
        organisation_id=organisation_id,
        product_id=subscription.plan_id,
        kind=ProductKind.PLAN,
    )


async def refund_on_rejection(*, session: AsyncSession, organisation_id: uuid.UUID) -> bool:
    """Whether a bailiff's rejection gives credits back: the plan says; default no."""
    plan = await plan_of(session=session, organisation_id=organisation_id)
    return bool(plan and plan.refund_on_rejection)


async def _apply_seats(
    session: AsyncSession, organisation_id: uuid.UUID, seats: int | None
) -> None:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is not None:
        organisation.seat_limit = seats


async def sync(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    provider: str,
    external_id: str | None,
    plan_id: str,
    status: SubscriptionStatus,
    period_start: datetime,
    period_end: datetime,
) -> Subscription:
    """Record the subscription's state as the provider has it now; seats follow the plan.

    When the period moved forward, the ended one is closed first (its unused allotment
    expires if the plan says so), whatever order the provider's events came in.
    """
    plan = await product(
        session=session, organisation_id=organisation_id, product_id=plan_id, kind=ProductKind.PLAN
    )
    subscription = await current(session=session, organisation_id=organisation_id)
    if subscription is None:
        subscription = Subscription(
            id=uuid.uuid4(),
            organisation_id=organisation_id,
            provider=provider,
            external_id=external_id,
            plan_id=plan_id,
            status=status,
            current_period_start=period_start,
            current_period_end=period_end,
        )
        session.add(subscription)
    else:
        if period_start >= subscription.current_period_end:
            await close_period(session=session, subscription=subscription)
        if period_end >= subscription.current_period_end:
            subscription.current_period_start = period_start
            subscription.current_period_end = period_end
        subscription.provider = provider
        subscription.external_id = external_id
        subscription.plan_id = plan_id
        subscription.status = status
        subscription.updated_at = utcnow()
    await _apply_seats(session, organisation_id, plan.seats if status in SEATED else None)
    await session.flush()
    return subscription


def allotment_key(subscription_ref: str, period_start: datetime) -> str:
    return f"allotment:{subscription_ref}:{int(period_start.timestamp())}"


async def allot(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    plan: Product,
    subscription_ref: str,
    period_start: datetime,
) -> None:
    """The plan's monthly credits for the period starting at `period_start`, once."""
    await ledger.issue(
        session=session,
        organisation_id=organisation_id,
        kind=TransactionKind.ALLOTMENT,
        credits=plan.credits,
        idempotency_key=allotment_key(subscription_ref, period_start),
        reference=f"{plan.name} — {period_start:%Y-%m-%d}",
    )


# The period's allotment, and what the organisation wallet gave out after it: allotted
# credits go first, so only the rest of the allotment can expire, never bought credits.
UNUSED_ALLOTMENT = text("""
    WITH allotment AS (
      SELECT t.credits, e.id AS entry_id FROM ledger_transactions t
      JOIN ledger_entries e ON e.transaction_id = t.id AND e.amount > 0
      WHERE t.organisation_id = :org AND t.kind = 'ALLOTMENT' AND t.idempotency_key = :key
    )
    SELECT a.credits - coalesce((
      SELECT sum(-e.amount) FROM ledger_entries e
      JOIN ledger_accounts w ON w.id = e.account_id
      WHERE e.organisation_id = :org AND w.kind = 'ORGANISATION_WALLET'
        AND e.amount < 0 AND e.id > a.entry_id
    ), 0)
    FROM allotment a
""")


async def _unused_allotment(session: AsyncSession, subscription: Subscription) -> int:
    reference = subscription.external_id or str(subscription.id)
    found = await session.execute(
        UNUSED_ALLOTMENT,
        {
            "org": subscription.organisation_id,
            "key": allotment_key(reference, subscription.current_period_start),
        },
    )
    return max(0, int(found.scalar_one_or_none() or 0))


async def close_period(*, session: AsyncSession, subscription: Subscription) -> int:
    """End the subscription's current period: expire its unused allotment unless it rolls
    over. Returns the credits expired (idempotent per period)."""
    if subscription.closed_period_end == subscription.current_period_end:
        return 0
    subscription.closed_period_end = subscription.current_period_end
    plan = await product(
        session=session,
        organisation_id=subscription.organisation_id,
        product_id=subscription.plan_id,
        kind=ProductKind.PLAN,
    )
    expired = 0
    if not plan.rollover:
        balance = await ledger.balance(
            session=session, organisation_id=subscription.organisation_id
        )
        expired = min(await _unused_allotment(session, subscription), balance)
    if expired > 0:
        await ledger.record(
            session=session,
            organisation_id=subscription.organisation_id,
            kind=TransactionKind.EXPIRY,
            credits=expired,
            leg=ledger.Leg(source=AccountKind.ORGANISATION_WALLET, target=AccountKind.EXPIRY),
            idempotency_key=(
                f"expiry:{subscription.id}:{int(subscription.current_period_end.timestamp())}"
            ),
            reference=f"{plan.name} — fin de période {subscription.current_period_end:%Y-%m-%d}",
        )
    await session.flush()
    log.info(
        "billing.period_closed", organisation=str(subscription.organisation_id), expired=expired
    )
    return expired


async def start_development(
    *, session: AsyncSession, organisation_id: uuid.UUID, plan: Product, now: datetime | None = None
) -> Subscription:
    """A development-provider subscription: active at once, first allotment given."""
    start = now or utcnow()
    existing = await current(session=session, organisation_id=organisation_id)
    if existing is not None and existing.status in SEATED and existing.plan_id == plan.id:
        return existing
    if existing is not None and existing.status in SEATED:
        await close_period(session=session, subscription=existing)
    subscription = await sync(
        session=session,
        organisation_id=organisation_id,
        provider="development",
        external_id=None,
        plan_id=plan.id,
        status=SubscriptionStatus.ACTIVE,
        period_start=start,
        period_end=add_month(start),
    )
    subscription.current_period_start, subscription.current_period_end = start, add_month(start)
    subscription.closed_period_end = None
    await allot(
        session=session,
        organisation_id=organisation_id,
        plan=plan,
        subscription_ref=str(subscription.id),
        period_start=start,
    )
    return subscription


async def run_period_ends(*, database: Database, now: datetime | None = None) -> int:
    """Close every period that has ended; renew development subscriptions. Returns how many.

    Stripe subscriptions renew through `invoice.paid`; a period that ended without one (a
    cancelled or unpaid subscription) is closed here.
    """
    moment = now or utcnow()
    async with database.unit_of_work() as session:
        due = (
            (
                await session.execute(
                    text("SELECT * FROM probant_subscriptions_due(:at)"), {"at": moment}
                )
            )
            .scalars()
            .all()
        )
    for organisation_id in due:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            subscription = await current(session=session, organisation_id=organisation_id)
            if subscription is None or subscription.current_period_end > moment:
                continue
            await close_period(session=session, subscription=subscription)
            if subscription.provider == "development" and subscription.status in SEATED:
                await _renew_development(session, subscription, moment)
    return len(due)


async def _renew_development(
    session: AsyncSession, subscription: Subscription, moment: datetime
) -> None:
    plan = await product(
        session=session,
        organisation_id=subscription.organisation_id,
        product_id=subscription.plan_id,
        kind=ProductKind.PLAN,
    )
    start = subscription.current_period_end
    while add_month(start) <= moment:  # a worker that was down for months: skip to now
        start = add_month(start)
    subscription.current_period_start, subscription.current_period_end = start, add_month(start)
    await allot(
        session=session,
        organisation_id=subscription.organisation_id,
        plan=plan,
        subscription_ref=str(subscription.id),
        period_start=start,
    )
    await session.flush()


def period_bounds(start_ts: int, end_ts: int) -> tuple[datetime, datetime]:
    """Provider timestamps (seconds) as aware datetimes."""
    epoch = datetime(1970, 1, 1, tzinfo=utcnow().tzinfo)
    return epoch + timedelta(seconds=start_ts), epoch + timedelta(seconds=end_ts)
