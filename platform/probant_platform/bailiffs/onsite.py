"""On-site constat requests: free to ask; the office quotes its fee and an appointment; the
requester accepts or declines. Each step emails the other party."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.directory import get_office
from probant_platform.bailiffs.errors import (
    InvalidField,
    InvalidState,
    QuoteExpired,
    RequestNotFound,
)
from probant_platform.bailiffs.models import OnSiteRequest, OnSiteStatus
from probant_platform.bailiffs.review import Clerk
from probant_platform.bailiffs.words import euros, paris_time
from probant_platform.db import utcnow
from probant_platform.events.outbox import publish
from probant_platform.jobs import enqueue
from probant_platform.text import clean_line, clean_paragraph

MAX_PREFERRED_DATES = 5
MAX_QUOTE_CENTS = 10_000_000


@dataclass(frozen=True)
class Requester:
    organisation_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    email: str


@dataclass(frozen=True)
class SiteAddress:
    street: str
    postcode: str
    city: str
    details: str = ""


def _line(value: str, field: str, limit: int) -> str:
    cleaned = clean_line(value or "", max_length=limit)
    if cleaned is None:
        raise InvalidField(field=field)
    return cleaned


async def request_constat(
    *,
    session: AsyncSession,
    requester: Requester,
    office_id: uuid.UUID,
    address: SiteAddress,
    description: str,
    preferred_dates: list[date],
) -> OnSiteRequest:
    """Ask an office to come on site; no credit is spent."""
    street = _line(address.street, "street", 200)
    postcode = _line(address.postcode, "postcode", 10)
    city = _line(address.city, "city", 100)
    details = clean_paragraph(address.details or "", max_length=500)
    if details is None:
        raise InvalidField(field="details")
    text = clean_paragraph(description or "", max_length=5000)
    if not text:
        raise InvalidField(field="description")
    today = utcnow().date()
    if len(preferred_dates) > MAX_PREFERRED_DATES or any(d < today for d in preferred_dates):
        raise InvalidField(field="preferredDates")
    office = await get_office(session=session, office_id=office_id)
    request = OnSiteRequest(
        organisation_id=requester.organisation_id,
        office_id=office.organisation.id,
        requested_by_user_id=requester.user_id,
        requester_name=requester.name,
        contact_email=requester.email,
        street=street,
        postcode=postcode,
        city=city,
        address_details=details,
        description=text,
        preferred_dates=sorted({d.isoformat() for d in preferred_dates}),
        status=OnSiteStatus.REQUESTED,
        created_at=utcnow(),
    )
    session.add(request)
    await session.flush()
    await _tell_office(session, request, "onsite_requested")
    return request


async def _tell_office(session: AsyncSession, request: OnSiteRequest, template: str) -> None:
    await enqueue(
        session,
        "bailiffs.notify_office",
        office_id=str(request.office_id),
        template=template,
        context={
            "requester": request.requester_name,
            "address": f"{request.street}, {request.postcode} {request.city}",
            "description": request.description[:500],
            "dates": ", ".join(request.preferred_dates),
        },
    )


async def _for_office(session: AsyncSession, clerk: Clerk, request_id: uuid.UUID) -> OnSiteRequest:
    request = await session.get(OnSiteRequest, request_id, with_for_update=True)
    if request is None or request.office_id != clerk.office_id:
        raise RequestNotFound()
    return request


async def _tell_requester(
    session: AsyncSession, request: OnSiteRequest, template: str, office_name: str
) -> None:
    await enqueue(
        session,
        "notifications.send_email",
        to=request.contact_email,
        template=template,
        context={
            "office": office_name,
            "address": f"{request.street}, {request.postcode} {request.city}",
            "amount": euros(request.quote_ttc_cents or 0),
            "valid_until": paris_time(request.quote_valid_until),
            "appointment": paris_time(request.appointment_at),
            "message": request.office_message,
        },
    )


async def quote(
    *,
    session: AsyncSession,
    clerk: Clerk,
    request_id: uuid.UUID,
    amount_ttc_cents: int,
    valid_until: datetime,
    appointment_at: datetime,
    message: str,
) -> OnSiteRequest:
    """The office's fee (valid until a date) and a proposed appointment; may be re-quoted."""
    if not 0 < amount_ttc_cents <= MAX_QUOTE_CENTS:
        raise InvalidField(field="amountTtcCents")
    now = utcnow()
    if valid_until <= now:
        raise InvalidField(field="validUntil")
    if appointment_at <= now:
        raise InvalidField(field="appointmentAt")
    note = clean_paragraph(message or "", max_length=2000)
    if note is None:
        raise InvalidField(field="message")
    request = await _for_office(session, clerk, request_id)
    if request.status not in (OnSiteStatus.REQUESTED, OnSiteStatus.QUOTED):
        raise InvalidState(status=request.status.value)
    request.status = OnSiteStatus.QUOTED
    request.quote_ttc_cents, request.quote_valid_until = amount_ttc_cents, valid_until
    request.appointment_at, request.office_message, request.quoted_at = appointment_at, note, now
    await session.flush()
    await publish(
        session,
        organisation_id=request.organisation_id,
        type="onsite.quoted",
        key=f"onsite.quoted:{request.id}:{now.isoformat()}",
        data={
            "request_id": request.id,
            "office_id": request.office_id,
            "amount_ttc_cents": amount_ttc_cents,
        },
    )
    office = await get_office(session=session, office_id=clerk.office_id)
    await _tell_requester(session, request, "onsite_quoted", office.organisation.name)
    return request


async def refuse(
    *, session: AsyncSession, clerk: Clerk, request_id: uuid.UUID, message: str
) -> OnSiteRequest:
    """The office cannot take the request (area, availability): the requester is told why."""
    note = clean_paragraph(message or "", max_length=2000)
    if not note:
        raise InvalidField(field="message")
    request = await _for_office(session, clerk, request_id)
    if request.status not in (OnSiteStatus.REQUESTED, OnSiteStatus.QUOTED):
        raise InvalidState(status=request.status.value)
    request.status, request.office_message, request.answered_at = (
        OnSiteStatus.REFUSED,
        note,
        utcnow(),
    )
    await session.flush()
    office = await get_office(session=session, office_id=clerk.office_id)
    await _tell_requester(session, request, "onsite_refused", office.organisation.name)
    return request


async def answer_quote(
    *, session: AsyncSession, organisation_id: uuid.UUID, request_id: uuid.UUID, accept: bool
) -> OnSiteRequest:
    """The requester accepts (before the quote expires) or declines the office's quote."""
    request = await session.get(OnSiteRequest, request_id, with_for_update=True)
    if request is None or request.organisation_id != organisation_id:
        raise RequestNotFound()
    if request.status is not OnSiteStatus.QUOTED:
        raise InvalidState(status=request.status.value)
    now = utcnow()
    if accept and request.quote_valid_until is not None and request.quote_valid_until < now:
        raise QuoteExpired(date=paris_time(request.quote_valid_until))
    request.status = OnSiteStatus.ACCEPTED if accept else OnSiteStatus.DECLINED
    request.answered_at = now
    await session.flush()
    await publish(
        session,
        organisation_id=request.organisation_id,
        type="onsite.answered",
        key=f"onsite.answered:{request.id}",
        data={"request_id": request.id, "office_id": request.office_id, "accepted": accept},
    )
    await _tell_office(session, request, "onsite_accepted" if accept else "onsite_declined")
    return request
