"""Jobs of the bailiff flows: telling an office, answering the author after a review (with
the signed attestation), and drawing up a validated PV de constat."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import runtime, urls
from probant_platform.bailiffs import published_backfill, refunds
from probant_platform.bailiffs.issuing import issue_attestation, issue_constat
from probant_platform.bailiffs.models import (
    BailiffOffice,
    ConstatOrder,
    ConstatStatus,
    OfficeDocument,
    Submission,
    SubmissionStatus,
)
from probant_platform.bailiffs.pdfs import reason_text
from probant_platform.bailiffs.words import paris_deadline
from probant_platform.db import TenantScope, utcnow
from probant_platform.events.outbox import publish
from probant_platform.evidence.models import Deposit
from probant_platform.jobs import enqueue, job_app, task
from probant_platform.notifications import emails as notification_emails
from probant_platform.notifications.templates import render_email
from probant_platform.storage import store_for
from probant_tenants.models import Membership, MembershipStatus, Organisation, Role, User

log = structlog.get_logger(__name__)


def _scope(organisation_id: str, office_id: str) -> TenantScope:
    return TenantScope(organisation_id=uuid.UUID(organisation_id), office_id=uuid.UUID(office_id))


async def _email(
    session: AsyncSession,
    user: User | None,
    template: str,
    context: dict[str, Any],
    document: OfficeDocument | None = None,
) -> None:
    """Email the user (if they want email); a signed document goes attached, read from
    storage by the sending job (never carried in the job's arguments, which are logged)."""
    if user is None or not await notification_emails.wanted(session, user, template):
        return
    unsubscribe = notification_emails.unsubscribe_for(user, template)
    if document is None:
        await enqueue(
            session,
            "notifications.send_email",
            to=user.email,
            template=template,
            locale=user.locale,
            context=context,
            unsubscribe=unsubscribe,
        )
        return
    await enqueue(
        session,
        "bailiffs.email_document",
        organisation_id=str(document.organisation_id),
        document_id=str(document.id),
        to=user.email,
        template=template,
        locale=user.locale,
        context=context,
        unsubscribe=unsubscribe,
    )


@task(name="bailiffs.email_document", queue="email")
async def email_document(
    *,
    organisation_id: str,
    document_id: str,
    to: str,
    template: str,
    locale: str | None,
    context: dict[str, Any],
    unsubscribe: dict[str, str] | None = None,
) -> None:
    """Deliver one email with an office's signed PDF attached."""
    rt = runtime.current()
    scope = TenantScope(organisation_id=uuid.UUID(organisation_id))
    async with rt.database.unit_of_work(scope) as session:
        document = await session.get(OfficeDocument, uuid.UUID(document_id))
    if document is None:
        return
    store = store_for(rt.settings)
    pdf = b"".join([chunk async for chunk in store.open_stream(document.blob_key)])
    message = render_email(
        template,
        to=to,
        sender=rt.settings.mail_from,
        locale=locale,
        context=context,
        unsubscribe_url=notification_emails.link_of(rt.settings, unsubscribe),
    )
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=document.filename)
    await rt.mailer.send(message)


@task(name="bailiffs.notify_office", queue="email")
async def notify_office(*, office_id: str, template: str, context: dict[str, Any]) -> None:
    """Email the office's clerks (and its contact address) about something addressed to it."""
    rt = runtime.current()
    office = uuid.UUID(office_id)
    async with rt.database.unit_of_work(TenantScope(organisation_id=office, office_id=office)) as s:
        organisation = await s.get(Organisation, office)
        entry = await s.get(BailiffOffice, office)
        clerks = await s.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == office,
                Membership.role.in_((Role.CLERK, Role.COMMISSAIRE)),
                Membership.status == MembershipStatus.ACTIVE,
                User.deleted_at.is_(None),
            )
        )
        # Each clerk as they chose (with their unsubscribe link); the contact address always.
        recipients: dict[str, tuple[str, dict[str, str] | None]] = {}
        staff = list(clerks.scalars())
        for user in staff:
            if await notification_emails.wanted(s, user, template):
                unsubscribe = notification_emails.unsubscribe_for(user, template)
                recipients[user.email] = (user.locale, unsubscribe)
        contact = entry.contact_email if entry is not None else None
        if contact and contact not in {user.email for user in staff}:
            recipients[contact] = ("fr", None)
        values = {**context, "office": organisation.name if organisation else ""}
        for email, (locale, unsubscribe) in sorted(recipients.items()):
            await enqueue(
                s,
                "notifications.send_email",
                to=email,
                template=template,
                locale=locale,
                context=_for_reader(values, locale, rt.settings.base_url),
                unsubscribe=unsubscribe,
            )


def _for_reader(context: dict[str, Any], locale: str, base_url: str) -> dict[str, Any]:
    """The deadline in words in the reader's language, and a link to the review screen."""
    values = dict(context)
    if "due_at" in values:
        values["due"] = paris_deadline(datetime.fromisoformat(values["due_at"]), locale)
    if "submission_id" in values:
        values["review_url"] = urls.app_url(base_url, f"/office/review/{values['submission_id']}")
    return values


@task(name="bailiffs.review_decided", queue="documents")
async def review_decided(*, organisation_id: str, office_id: str, submission_id: str) -> None:
    """After the clerk's decision: refund if the plan says so, issue the signed attestation
    for what was accepted, and tell the author either way."""
    rt = runtime.current()
    async with rt.database.unit_of_work(_scope(organisation_id, office_id)) as session:
        submission = await session.get(Submission, uuid.UUID(submission_id))
        if submission is None:
            return
        deposit = await session.get(Deposit, submission.deposit_id)
        office = await session.get(Organisation, submission.office_id)
        if deposit is None or office is None:
            return
        author = (
            await session.get(User, submission.submitted_by_user_id)
            if submission.submitted_by_user_id
            else None
        )
        context: dict[str, Any] = {
            "name": author.full_name if author else "",
            "reference": deposit.reference,
            "title": deposit.title,
            "office": office.name,
            "clerk": submission.decided_by_name or "",
            "reason": reason_text(submission.reason, author.locale if author else "fr"),
            "comment": submission.comment,
            "rejected_count": len(submission.rejected_item_ids),
            "refunded": False,
        }
        if submission.status in (SubmissionStatus.REJECTED, SubmissionStatus.PARTIALLY_ACCEPTED):
            context["refunded"] = await refunds.refund_if_plan_says(
                session=session, submission=submission, reference=deposit.reference
            )
        if submission.status is SubmissionStatus.REJECTED:
            await _email(session, author, "deposit_rejected", context)
            return
        document, _ = await issue_attestation(
            session=session, settings=rt.settings, submission=submission, deposit=deposit
        )
        await _email(session, author, "deposit_accepted", context, document)
        log.info("bailiffs.attestation_issued", reference=deposit.reference)


@task(name="bailiffs.issue_constat", queue="documents")
async def issue_constat_job(*, organisation_id: str, office_id: str, order_id: str) -> None:
    """Draw up, sign (office's key) and send the validated PV de constat."""
    rt = runtime.current()
    async with rt.database.unit_of_work(_scope(organisation_id, office_id)) as session:
        order = await session.get(ConstatOrder, uuid.UUID(order_id), with_for_update=True)
        if order is None or order.validated_at is None:
            return
        deposit = await session.get(Deposit, order.deposit_id)
        if deposit is None:
            return
        document, _ = await issue_constat(
            session=session, settings=rt.settings, order=order, deposit=deposit
        )
        if order.status is ConstatStatus.ISSUED:
            return
        order.status, order.issued_at = ConstatStatus.ISSUED, utcnow()
        await publish(
            session,
            organisation_id=order.organisation_id,
            type="constat.issued",
            key=f"constat.issued:{order.id}",
            data={
                "order_id": order.id,
                "deposit_id": order.deposit_id,
                "office_id": order.office_id,
            },
        )
        requester = (
            await session.get(User, order.requested_by_user_id)
            if order.requested_by_user_id
            else None
        )
        office = await session.get(Organisation, order.office_id)
        context = {
            "name": requester.full_name if requester else "",
            "reference": deposit.reference,
            "office": office.name if office else "",
        }
        await _email(session, requester, "constat_issued", context, document)
        log.info("bailiffs.constat_issued", reference=deposit.reference)


@job_app.periodic(cron="17 3 * * *", periodic_id="integrity-published-backfill")
@job_app.task(name="integrity.backfill_published", queue="documents", pass_context=False)
async def backfill_published(timestamp: int) -> None:
    """Register on /verify the signed PDFs issued before the register existed."""
    rt = runtime.current()
    await published_backfill.backfill_published(database=rt.database, settings=rt.settings)
