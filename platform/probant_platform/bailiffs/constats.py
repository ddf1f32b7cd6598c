"""Converting a deposit into a PV de constat de dépôt: order, specimen, payment, validation.

Only OWNER/ADMIN order (the GraphQL layer checks `constat:order`). The requester's legal
identity is required in full, printed as given, and saved back to the organisation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.directory import (
    OfficeHit,
    assigned_office,
    capture_place,
    get_office,
)
from probant_platform.bailiffs.errors import (
    InvalidField,
    InvalidState,
    LegalIdentityIncomplete,
    NotConvertible,
    RequestNotFound,
)
from probant_platform.bailiffs.models import (
    ConstatOrder,
    ConstatStatus,
    Submission,
    SubmissionStatus,
)
from probant_platform.bailiffs.review import Clerk
from probant_platform.bailiffs.submissions import submission_of
from probant_platform.config import Settings
from probant_platform.db import utcnow
from probant_platform.events.outbox import publish
from probant_platform.evidence import deposits
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.jobs import enqueue
from probant_platform.text import clean_paragraph
from probant_tenants.errors import InvalidSiren
from probant_tenants.models import Organisation
from probant_tenants.profile import LegalIdentityInput, update_organisation_profile
from probant_tenants.siren import is_valid_siren, normalise_siren

PAYMENT_PURPOSE = "constat"
OPEN_ORDER = (ConstatStatus.AWAITING_PAYMENT, ConstatStatus.AWAITING_VALIDATION)


@dataclass(frozen=True)
class LegalIdentity:
    legal_form: str = ""
    company_name: str = ""
    rcs_number: str = ""
    rcs_city: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    representative_first_name: str = ""
    representative_last_name: str = ""


def prefilled_identity(organisation: Organisation) -> LegalIdentity:
    """What the organisation last gave (or its sign-up data)."""
    return LegalIdentity(
        legal_form=organisation.legal_form or "",
        company_name=organisation.company_name or organisation.name,
        rcs_number=organisation.siren or "",
        rcs_city=organisation.rcs_city or "",
        street=organisation.street or "",
        postcode=organisation.postcode or "",
        city=organisation.city or "",
        representative_first_name=organisation.representative_first_name or "",
        representative_last_name=organisation.representative_last_name or "",
    )


def price_of(office: OfficeHit, settings: Settings) -> int:
    price = office.entry.constat_price_ttc_cents
    return settings.constat_price_cents if price is None else price


async def _office_for(session: AsyncSession, deposit: Deposit) -> tuple[OfficeHit, list[str]]:
    """The office that reviewed the deposit (its rejected items left out), else the one the
    organisation's choice designates."""
    submission = await submission_of(session=session, deposit_id=deposit.id)
    if submission is not None and submission.status in (
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.PARTIALLY_ACCEPTED,
    ):
        return await get_office(
            session=session, office_id=submission.office_id
        ), submission.rejected_item_ids
    organisation = await session.get(Organisation, deposit.organisation_id)
    assert organisation is not None
    place = await capture_place(session=session, deposit_id=deposit.id)
    return await assigned_office(session=session, organisation=organisation, place=place), []


async def convertible_deposit(
    *, session: AsyncSession, author: deposits.Author, deposit_id: uuid.UUID
) -> Deposit:
    deposit = await deposits.get_deposit(session=session, author=author, deposit_id=deposit_id)
    if deposit.status not in (DepositStatus.SEALED, DepositStatus.ACCEPTED):
        raise NotConvertible()
    return deposit


async def constat_terms(
    *, session: AsyncSession, author: deposits.Author, deposit_id: uuid.UUID, settings: Settings
) -> tuple[OfficeHit, int]:
    """The office that would draw up the PV, and its price (TTC cents)."""
    deposit = await convertible_deposit(session=session, author=author, deposit_id=deposit_id)
    office, _ = await _office_for(session, deposit)
    return office, price_of(office, settings)


def _checked(identity: LegalIdentity) -> LegalIdentity:
    values = {f.name: (getattr(identity, f.name) or "").strip() for f in fields(identity)}
    # The API calls the RCS number by its name on the organisation: siren.
    missing = ["siren" if n == "rcs_number" else n for n, value in values.items() if not value]
    if missing:
        raise LegalIdentityIncomplete(fields=missing)
    values["rcs_number"] = normalise_siren(values["rcs_number"])
    if not is_valid_siren(values["rcs_number"]):
        raise InvalidSiren()
    return LegalIdentity(**values)


async def order_constat(
    *,
    session: AsyncSession,
    author: deposits.Author,
    user_id: uuid.UUID,
    deposit_id: uuid.UUID,
    identity: LegalIdentity,
    expose: str,
    settings: Settings,
) -> ConstatOrder:
    """Create (or revise, while unpaid) the order; the identity is saved for next time."""
    checked = _checked(identity)
    text = clean_paragraph(expose or "", max_length=5000)
    if not text:
        raise InvalidField(field="expose")
    deposit = await convertible_deposit(session=session, author=author, deposit_id=deposit_id)
    await update_organisation_profile(
        session=session,
        organisation_id=deposit.organisation_id,
        actor_user_id=user_id,
        name=None,
        identity=LegalIdentityInput(
            legal_form=checked.legal_form,
            company_name=checked.company_name,
            siren=checked.rcs_number,
            rcs_city=checked.rcs_city,
            street=checked.street,
            postcode=checked.postcode,
            city=checked.city,
            representative_first_name=checked.representative_first_name,
            representative_last_name=checked.representative_last_name,
        ),
    )
    office, _ = await _office_for(session, deposit)
    existing = (
        await session.execute(
            select(ConstatOrder)
            .where(ConstatOrder.deposit_id == deposit.id, ConstatOrder.status.in_(OPEN_ORDER))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if existing is not None and existing.status is not ConstatStatus.AWAITING_PAYMENT:
        raise InvalidState(status=existing.status.value)
    order = existing or ConstatOrder(
        organisation_id=deposit.organisation_id,
        deposit_id=deposit.id,
        requested_by_membership_id=author.membership_id,
        requested_by_user_id=user_id,
        status=ConstatStatus.AWAITING_PAYMENT,
        created_at=utcnow(),
    )
    for name, value in vars(checked).items():
        setattr(order, name, value)
    order.expose, order.office_id = text, office.organisation.id
    order.price_ttc_cents = price_of(office, settings)
    if existing is None:
        session.add(order)
    await session.flush()
    return order


async def get_order(
    *, session: AsyncSession, organisation_id: uuid.UUID, order_id: uuid.UUID
) -> ConstatOrder:
    order = await session.get(ConstatOrder, order_id)
    if order is None or order.organisation_id != organisation_id:
        raise RequestNotFound()
    return order


async def record_payment(
    *, session: AsyncSession, order_id: uuid.UUID, payment_reference: str
) -> ConstatOrder:
    """The payment went through: the office now has the PV to validate (runs once)."""
    order = await session.get(ConstatOrder, order_id, with_for_update=True)
    if order is None:
        raise RequestNotFound()
    if order.status is not ConstatStatus.AWAITING_PAYMENT:
        return order
    order.status, order.paid_at = ConstatStatus.AWAITING_VALIDATION, utcnow()
    order.payment_reference = payment_reference[:200]
    await session.flush()
    deposit = await session.get(Deposit, order.deposit_id)
    await publish(
        session,
        organisation_id=order.organisation_id,
        type="constat.awaiting_validation",
        key=f"constat.awaiting_validation:{order.id}",
        data={
            "order_id": order.id,
            "deposit_id": order.deposit_id,
            "office_id": order.office_id,
            "reference": deposit.reference if deposit else "",
        },
    )
    await enqueue(
        session,
        "bailiffs.notify_office",
        office_id=str(order.office_id),
        template="office_constat_paid",
        context={
            "reference": deposit.reference if deposit else "",
            "requester": order.company_name,
        },
    )
    return order


async def cancel_order(
    *, session: AsyncSession, organisation_id: uuid.UUID, order_id: uuid.UUID
) -> ConstatOrder:
    order = await get_order(session=session, organisation_id=organisation_id, order_id=order_id)
    if order.status is not ConstatStatus.AWAITING_PAYMENT:
        raise InvalidState(status=order.status.value)
    order.status = ConstatStatus.CANCELLED
    await session.flush()
    return order


async def office_order(
    *, session: AsyncSession, office_id: uuid.UUID, order_id: uuid.UUID, lock: bool = False
) -> ConstatOrder:
    """An order addressed to the office, once paid (before that it is the requester's draft)."""
    order = await session.get(ConstatOrder, order_id, with_for_update=lock)
    if (
        order is None
        or order.office_id != office_id
        or order.status in (ConstatStatus.AWAITING_PAYMENT, ConstatStatus.CANCELLED)
    ):
        raise RequestNotFound()
    return order


async def _awaiting_validation(
    session: AsyncSession, clerk: Clerk, order_id: uuid.UUID, corrected_expose: str | None
) -> ConstatOrder:
    order = await office_order(
        session=session, office_id=clerk.office_id, order_id=order_id, lock=True
    )
    if order.status is not ConstatStatus.AWAITING_VALIDATION or order.validated_at is not None:
        raise InvalidState(status=order.status.value)
    if corrected_expose is not None:
        text = clean_paragraph(corrected_expose, max_length=5000)
        if not text:
            raise InvalidField(field="correctedExpose")
        order.corrected_expose = text
    return order


async def prepare_constat(
    *, session: AsyncSession, clerk: Clerk, order_id: uuid.UUID, corrected_expose: str
) -> ConstatOrder:
    """A clerk prepares the PV for the commissaire: the exposé as the office will sign it."""
    order = await _awaiting_validation(session, clerk, order_id, corrected_expose)
    await session.flush()
    return order


async def validate_constat(
    *,
    session: AsyncSession,
    clerk: Clerk,
    order_id: uuid.UUID,
    corrected_expose: str | None,
) -> ConstatOrder:
    """The office's commissaire de justice approves the text (correcting the exposé if
    needed); a job then draws up, signs (with their certificate) and sends the PV. The
    GraphQL layer lets only the COMMISSAIRE role (`constat:validate`) call this."""
    order = await _awaiting_validation(session, clerk, order_id, corrected_expose)
    order.validated_at, order.validated_by_user_id = utcnow(), clerk.user_id
    order.validated_by_name = clerk.name
    await session.flush()
    await enqueue(
        session,
        "bailiffs.issue_constat",
        organisation_id=str(order.organisation_id),
        office_id=str(order.office_id),
        order_id=str(order.id),
    )
    return order


async def excluded_items(*, session: AsyncSession, deposit_id: uuid.UUID) -> list[str]:
    found = await session.execute(
        select(Submission.rejected_item_ids).where(
            Submission.deposit_id == deposit_id,
            Submission.status == SubmissionStatus.PARTIALLY_ACCEPTED,
        )
    )
    return list(found.scalar_one_or_none() or [])
