"""From one domain event to the people it concerns: an inbox row per recipient (and, when
they want it, a push), each at most once per (event, recipient, channel).

The outbox's dispatch job calls `schedule` for every event; the fan-out itself runs as its
own job, so a failure here never holds back the partner webhooks (and is retried alone).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import runtime, urls
from probant_platform.bailiffs.models import ConstatOrder, OnSiteRequest, Submission
from probant_platform.bailiffs.pdfs import reason_text
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.events.models import DomainEvent
from probant_platform.events.outbox import register_consumer
from probant_platform.evidence.models import Deposit
from probant_platform.jobs import enqueue, task
from probant_platform.notifications import emails, kinds, preferences, push
from probant_platform.notifications.kinds import KINDS
from probant_platform.notifications.models import Channel, Notification
from probant_tenants.models import Membership, MembershipStatus, Role, User

log = structlog.get_logger(__name__)

ADMIN_ROLES = (Role.OWNER, Role.ADMIN)
OFFICE_ROLES = (Role.CLERK, Role.COMMISSAIRE)
COMMISSAIRE_ROLES = (Role.COMMISSAIRE,)
# Most emails go out where the change happens (with their PDFs, see `emails`); kinds
# without one of their own get the generic `notification` email from here.
CHANNELS = (Channel.INBOX, Channel.EMAIL, Channel.PUSH)


@dataclass(frozen=True)
class Audience:
    """Who is told, in which organisation (the inbox lives where the reader works)."""

    organisation_id: uuid.UUID
    office_id: uuid.UUID | None
    user_ids: frozenset[uuid.UUID]


async def schedule(session: AsyncSession, event: DomainEvent) -> None:
    if event.type in KINDS:
        await enqueue(
            session,
            "notifications.fan_out",
            organisation_id=str(event.organisation_id),
            event_id=str(event.id),
        )


register_consumer("notifications", schedule)


@task(name="notifications.fan_out", queue="notifications")
async def fan_out_job(*, organisation_id: str, event_id: str) -> None:
    await fan_out(
        runtime.current().database,
        organisation_id=uuid.UUID(organisation_id),
        event_id=uuid.UUID(event_id),
    )


async def fan_out(database: Database, *, organisation_id: uuid.UUID, event_id: uuid.UUID) -> int:
    """Write the event's notifications; how many were new (0 when run again)."""
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        event = await session.get(DomainEvent, event_id)
        if event is None or event.type not in KINDS:
            return 0
        data = await _summary(session, event)
        audiences = await _tenant_audience(session, event, data)
    office = _uuid(event.data.get("office_id"))
    groups = KINDS[event.type].recipients
    if office is not None and ("clerks" in groups or "commissaires" in groups):
        roles = OFFICE_ROLES if "clerks" in groups else COMMISSAIRE_ROLES
        scope = TenantScope(organisation_id=office, office_id=office)
        async with database.unit_of_work(scope) as session:
            audiences.append(await _members(session, office, office, roles))
    written = 0
    for audience in audiences:
        if not audience.user_ids:
            continue
        scope = TenantScope(organisation_id=audience.organisation_id, office_id=audience.office_id)
        async with database.unit_of_work(scope) as session:
            for user_id in sorted(audience.user_ids):
                written += await _tell(session, event, data, audience.organisation_id, user_id)
    log.info("notifications.fanned_out", type=event.type, written=written)
    return written


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def _summary(session: AsyncSession, event: DomainEvent) -> dict[str, Any]:
    """What the inbox shows: the event's ids, the deposit's reference, a rejection's reason."""
    data = dict(event.data)
    if event.type == "payment.failed":
        data |= await _payment(session, data)
    deposit_id = _uuid(data.get("deposit_id"))
    if deposit_id is not None and not data.get("reference"):
        deposit = await session.get(Deposit, deposit_id)
        data["reference"] = deposit.reference if deposit is not None else ""
    if event.type == "onsite.answered":
        accepted = bool(data.get("accepted"))
        data["answer_fr"] = "accepté" if accepted else "refusé"
        data["answer_en"] = "accepted" if accepted else "declined"
    if event.type == "invitation.accepted":
        membership = await session.get(Membership, _uuid(data.get("membership_id")))
        user = await session.get(User, membership.user_id) if membership is not None else None
        data["member"] = (user.full_name or user.email) if user is not None else ""
        data["member_user_id"] = str(user.id) if user is not None else ""
    if event.type == "submission.rejected":
        submission = await session.get(Submission, _uuid(data.get("submission_id")))
        if submission is not None and submission.reason is not None:
            data["reason"] = submission.reason.value
            data["reason_fr"] = reason_text(submission.reason, "fr")
            data["reason_en"] = reason_text(submission.reason, "en")
    return data


# What a failed payment was for, as the admin reads it ("Le paiement de l'abonnement …").
PAYMENT_PURPOSES = {
    "plan": ("de l'abonnement", "for the subscription"),
    "pack": ("du pack de crédits", "for the credit pack"),
    "constat": ("du procès-verbal de constat", "for the PV de constat"),
}


async def _payment(session: AsyncSession, data: dict[str, Any]) -> dict[str, Any]:
    what_fr, what_en = PAYMENT_PURPOSES.get(
        str(data.get("purpose")), ("de votre achat", "for your purchase")
    )
    cents = int(data.get("amount_cents") or 0)
    euros, rest = divmod(cents, 100)
    found: dict[str, Any] = {
        "what_fr": what_fr,
        "what_en": what_en,
        "amount_fr": f"{euros:,}".replace(",", "\u202f") + f",{rest:02d} €",
        "amount_en": f"€{euros:,}.{rest:02d}",
    }
    order_id = _uuid(data.get("order_id"))
    order = await session.get(ConstatOrder, order_id) if order_id is not None else None
    if order is not None:
        found["deposit_id"] = str(order.deposit_id)
    return found


async def _tenant_audience(
    session: AsyncSession, event: DomainEvent, data: dict[str, Any]
) -> list[Audience]:
    groups = KINDS[event.type].recipients
    users: set[uuid.UUID] = set()
    if "author" in groups:
        deposit = await session.get(Deposit, _uuid(data.get("deposit_id")))
        if deposit is not None:
            membership = await session.get(Membership, deposit.author_membership_id)
            if membership is not None and membership.status is MembershipStatus.ACTIVE:
                users.add(membership.user_id)
    if "requester" in groups:
        requester: uuid.UUID | None = None
        if event.type.startswith("constat."):
            order = await session.get(ConstatOrder, _uuid(data.get("order_id")))
            requester = order.requested_by_user_id if order is not None else None
        else:
            request = await session.get(OnSiteRequest, _uuid(data.get("request_id")))
            requester = request.requested_by_user_id if request is not None else None
        if requester is not None:
            users.add(requester)
    if "admins" in groups:
        users |= (await _members(session, event.organisation_id, None, ADMIN_ROLES)).user_ids
    users.discard(_uuid(data.get("member_user_id")))  # nobody is told of their own joining
    return [Audience(event.organisation_id, None, frozenset(users))]


async def _members(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    office_id: uuid.UUID | None,
    roles: tuple[Role, ...],
) -> Audience:
    rows = await session.execute(
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role.in_(roles),
            Membership.status == MembershipStatus.ACTIVE,
            User.deleted_at.is_(None),
        )
    )
    return Audience(organisation_id, office_id, frozenset(rows.scalars()))


async def _tell(
    session: AsyncSession,
    event: DomainEvent,
    data: dict[str, Any],
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
) -> int:
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        return 0
    written = 0
    for channel in CHANNELS:
        if channel is Channel.EMAIL and KINDS[event.type].email != "generic":
            continue  # sent where the change happens, or not at all
        if not await preferences.enabled(session, user, event.type, channel):
            continue
        inserted = await session.execute(
            insert(Notification)
            .values(
                organisation_id=organisation_id,
                user_id=user_id,
                event_id=event.id,
                kind=event.type,
                channel=channel,
                data=data,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["event_id", "user_id", "channel"])
            .returning(Notification.id)
        )
        notification_id = inserted.scalar_one_or_none()
        if notification_id is None:
            continue  # told already: this is a retry
        written += 1
        if channel is Channel.EMAIL:
            await _email(session, user, event, data)
        if channel is Channel.PUSH:
            for device in await push.subscriptions_of(session, user_id):
                await enqueue(
                    session,
                    "notifications.send_push",
                    organisation_id=str(organisation_id),
                    notification_id=str(notification_id),
                    subscription_id=str(device.id),
                )
    return written


async def _email(
    session: AsyncSession, user: User, event: DomainEvent, data: dict[str, Any]
) -> None:
    settings = runtime.current().settings
    route = kinds.link(event.type, data)
    await enqueue(
        session,
        "notifications.send_email",
        to=user.email,
        template="notification",
        locale=user.locale,
        context={
            "title": kinds.title(event.type, data, user.locale),
            "url": urls.app_url(settings.base_url, route) if route else "",
        },
        unsubscribe=emails.unsubscribe_for(user, "notification", event.type),
    )
