"""The directory of bailiff offices: onboarding entries, nearest-first search, each tenant's
choice of office ("my bailiff" or the nearest), and proposals of offices not yet listed."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.errors import (
    InvalidField,
    NoOfficeAvailable,
    NotYourOffice,
    OfficeNotAccepting,
    OfficeNotFound,
)
from probant_platform.bailiffs.geo import Point, bounding_box, postcode_point, sql_distance_km
from probant_platform.bailiffs.models import BailiffOffice, OfficeProposal
from probant_platform.db import utcnow
from probant_platform.evidence.models import EvidenceItem
from probant_platform.jobs import enqueue
from probant_platform.text import clean_line
from probant_tenants.models import (
    OfficeChoice,
    Organisation,
    OrganisationKind,
    PlatformOperator,
    User,
)

SEARCH_RADII_KM = (25.0, 100.0, 400.0, 1600.0, 6400.0, None)
MAX_RADIUS_KM = 1000
MAX_PAGE = 100


@dataclass(frozen=True)
class OfficeHit:
    organisation: Organisation
    entry: BailiffOffice
    distance_km: float | None

    @property
    def serves_location(self) -> bool | None:
        """Whether the searched point lies within the office's service area (None without
        a searched point)."""
        if self.distance_km is None:
            return None
        return self.distance_km <= self.entry.service_radius_km


@dataclass(frozen=True)
class OfficeEditor:
    """Who edits an office's entry: the organisation they act in, whether they manage every
    office (an operator) and whether they review deposits there (a clerk)."""

    organisation_id: uuid.UUID
    manages_offices: bool
    reviews_deposits: bool

    def may_edit(self, office_id: uuid.UUID | None) -> bool:
        if office_id is None:
            return False
        return self.manages_offices or (office_id == self.organisation_id and self.reviews_deposits)


@dataclass(frozen=True)
class OfficeSettings:
    latitude: float | None = None
    longitude: float | None = None
    service_radius_km: int | None = None
    accepts_deposits: bool | None = None
    constat_price_ttc_cents: int | None = None
    contact_email: str | None = None


def _place(settings: OfficeSettings, postcode: str | None) -> Point:
    if settings.latitude is not None and settings.longitude is not None:
        point = Point(settings.latitude, settings.longitude)
        if not point.valid:
            raise InvalidField(field="latitude")
        return point
    if (settings.latitude is None) != (settings.longitude is None):
        raise InvalidField(field="longitude")
    found = postcode_point(postcode)
    if found is None:
        raise InvalidField(field="latitude")
    return found


def _check(settings: OfficeSettings) -> None:
    radius = settings.service_radius_km
    if radius is not None and not 1 <= radius <= MAX_RADIUS_KM:
        raise InvalidField(field="serviceRadiusKm")
    price = settings.constat_price_ttc_cents
    if price is not None and not 0 < price <= 10_000_000:
        raise InvalidField(field="constatPriceTtcCents")
    if (
        settings.contact_email is not None
        and clean_line(settings.contact_email, max_length=320) != settings.contact_email.strip()
    ):
        raise InvalidField(field="contactEmail")


async def register_office(
    *, session: AsyncSession, office: Organisation, settings: OfficeSettings
) -> BailiffOffice:
    """The office's directory entry; without coordinates, its postcode's place."""
    _check(settings)
    point = _place(settings, office.postcode)
    entry = BailiffOffice(
        office_id=office.id,
        latitude=point.latitude,
        longitude=point.longitude,
        service_radius_km=settings.service_radius_km or 50,
        accepts_deposits=True if settings.accepts_deposits is None else settings.accepts_deposits,
        constat_price_ttc_cents=settings.constat_price_ttc_cents,
        contact_email=(settings.contact_email or "").strip() or None,
        created_at=utcnow(),
    )
    session.add(entry)
    await session.flush()
    return entry


async def update_office(
    *,
    session: AsyncSession,
    office_id: uuid.UUID | None,
    settings: OfficeSettings,
    editor: OfficeEditor,
) -> BailiffOffice:
    """Change an office's entry (one of its clerks, or an operator: else `NotYourOffice`);
    unset fields stay. Row-level security lets an office edit its own entry, an operator
    any entry."""
    if office_id is None or not editor.may_edit(office_id):
        raise NotYourOffice()
    _check(settings)
    entry = await session.get(BailiffOffice, office_id, with_for_update=True)
    if entry is None:
        raise OfficeNotFound()
    if settings.latitude is not None or settings.longitude is not None:
        point = _place(settings, None)
        entry.latitude, entry.longitude = point.latitude, point.longitude
    if settings.service_radius_km is not None:
        entry.service_radius_km = settings.service_radius_km
    if settings.accepts_deposits is not None:
        entry.accepts_deposits = settings.accepts_deposits
    if settings.constat_price_ttc_cents is not None:
        entry.constat_price_ttc_cents = settings.constat_price_ttc_cents
    if settings.contact_email is not None:
        entry.contact_email = settings.contact_email.strip() or None
    await session.flush()
    return entry


def encode_cursor(distance: float, office_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(json.dumps([distance, str(office_id)]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[float, uuid.UUID]:
    try:
        distance, office_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(distance), uuid.UUID(office_id)
    except (ValueError, TypeError) as exc:
        raise InvalidField(field="after") from exc


def _base_query(search: str | None, accepting_only: bool) -> Any:
    query = (
        select(Organisation, BailiffOffice)
        .join(BailiffOffice, BailiffOffice.office_id == Organisation.id)
        .where(
            Organisation.kind == OrganisationKind.BAILIFF_OFFICE,
            Organisation.deleted_at.is_(None),
        )
    )
    if accepting_only:
        query = query.where(BailiffOffice.accepts_deposits.is_(True))
    if search:
        escaped = search[:100].replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        pattern = f"%{escaped}%"
        query = query.where(or_(Organisation.name.ilike(pattern), Organisation.city.ilike(pattern)))
    return query


async def nearest_offices(
    *,
    session: AsyncSession,
    origin: Point,
    search: str | None = None,
    first: int = 20,
    after: str | None = None,
    accepting_only: bool = False,
) -> list[OfficeHit]:
    """Up to `first + 1` offices nearest `origin` first (the extra one says "there is more").

    Candidates are bounded by a box around `origin` that widens until it holds enough
    offices within its inscribed circle; within that circle the order is exact.
    """
    if not origin.valid:
        raise InvalidField(field="near")
    limit = max(1, min(first, MAX_PAGE)) + 1
    distance = sql_distance_km(origin, BailiffOffice.latitude, BailiffOffice.longitude)
    base = _base_query(search, accepting_only).add_columns(distance.label("distance"))
    if after:
        last_distance, last_id = _decode_cursor(after)
        base = base.where(
            tuple_(distance, BailiffOffice.office_id) > tuple_(last_distance, last_id)
        )
    rows: list[Any] = []
    for radius in SEARCH_RADII_KM:
        query = base
        if radius is not None:
            box = bounding_box(origin, radius)
            query = query.where(
                BailiffOffice.latitude.between(box.min_latitude, box.max_latitude),
                distance <= radius,
            )
            if box.min_longitude is not None and box.max_longitude is not None:
                query = query.where(
                    BailiffOffice.longitude.between(box.min_longitude, box.max_longitude)
                )
        rows = list(
            (
                await session.execute(
                    query.order_by(distance, BailiffOffice.office_id).limit(limit)
                )
            ).all()
        )
        if len(rows) >= limit:
            break
    return [OfficeHit(org, entry, float(d)) for org, entry, d in rows]


async def offices_by_name(
    *, session: AsyncSession, search: str | None, first: int = 20, after: str | None = None
) -> list[OfficeHit]:
    """Offices in name order (no place given); `after` is the last office's id."""
    limit = max(1, min(first, MAX_PAGE)) + 1
    query = _base_query(search, False)
    if after:
        try:
            last = await session.get(Organisation, uuid.UUID(after))
        except ValueError as exc:
            raise InvalidField(field="after") from exc
        if last is None:
            raise InvalidField(field="after")
        query = query.where(tuple_(Organisation.name, Organisation.id) > tuple_(last.name, last.id))
    rows = await session.execute(query.order_by(Organisation.name, Organisation.id).limit(limit))
    return [OfficeHit(org, entry, None) for org, entry in rows.all()]


async def get_office(*, session: AsyncSession, office_id: uuid.UUID) -> OfficeHit:
    rows = await session.execute(_base_query(None, False).where(Organisation.id == office_id))
    found = rows.first()
    if found is None:
        raise OfficeNotFound()
    return OfficeHit(found[0], found[1], None)


async def choose_office(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    choice: OfficeChoice,
    office_id: uuid.UUID | None,
) -> Organisation:
    """Record the organisation's office: a preferred one, or the nearest at each submission."""
    organisation = await session.get(Organisation, organisation_id, with_for_update=True)
    assert organisation is not None
    if choice is OfficeChoice.PREFERRED:
        if office_id is None:
            raise InvalidField(field="officeId")
        await get_office(session=session, office_id=office_id)
        organisation.preferred_office_id = office_id
    else:
        organisation.preferred_office_id = None
    organisation.office_choice = choice
    await session.flush()
    return organisation


async def capture_place(*, session: AsyncSession, deposit_id: uuid.UUID) -> Point | None:
    """Where a deposit was captured: the mean of its items' location fixes, if any."""
    rows = (
        await session.execute(
            select(EvidenceItem.latitude, EvidenceItem.longitude).where(
                EvidenceItem.deposit_id == deposit_id,
                EvidenceItem.latitude.is_not(None),
                EvidenceItem.longitude.is_not(None),
            )
        )
    ).all()
    points = [(float(lat), float(lon)) for lat, lon in rows if lat is not None and lon is not None]
    if not points:
        return None
    return Point(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


async def assigned_office(
    *, session: AsyncSession, organisation: Organisation, place: Point | None
) -> OfficeHit:
    """The office a submission goes to under the organisation's choice."""
    if organisation.office_choice is OfficeChoice.PREFERRED and organisation.preferred_office_id:
        hit = await get_office(session=session, office_id=organisation.preferred_office_id)
        if not hit.entry.accepts_deposits:
            raise OfficeNotAccepting()
        return hit
    origin = place or postcode_point(organisation.postcode)
    if origin is None:
        raise NoOfficeAvailable()
    candidates = await nearest_offices(
        session=session, origin=origin, first=10, accepting_only=True
    )
    if not candidates:
        raise NoOfficeAvailable()
    serving = [
        c
        for c in candidates
        if c.distance_km is not None and c.distance_km <= c.entry.service_radius_km
    ]
    return (serving or candidates)[0]


def proposal_thanks(locale: str) -> str:
    """What the proposer reads once the office is recorded."""
    if locale == "en":
        return "Thank you: the Probant team will contact this office."
    return "Merci : l'équipe Probant va contacter cette étude."


async def propose_office(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    name: str,
    city: str,
    proposer_email: str,
    organisation_name: str,
) -> OfficeProposal:
    """Record an office a member would like on the platform and tell the operators."""
    clean_name = clean_line(name, max_length=200)
    if clean_name is None:
        raise InvalidField(field="name")
    clean_city = clean_line(city, max_length=100)
    if clean_city is None:
        raise InvalidField(field="city")
    proposal = OfficeProposal(
        organisation_id=organisation_id,
        proposed_by_user_id=user_id,
        name=clean_name,
        city=clean_city,
        created_at=utcnow(),
    )
    session.add(proposal)
    await session.flush()
    operators = await session.execute(
        select(User.email, User.locale)
        .join(PlatformOperator, PlatformOperator.user_id == User.id)
        .where(User.deleted_at.is_(None))
    )
    for email, locale in operators.all():
        await enqueue(
            session,
            "notifications.send_email",
            to=email,
            template="office_proposed",
            locale=locale,
            context={
                "office": clean_name,
                "city": clean_city,
                "organisation": organisation_name,
                "proposer": proposer_email,
            },
        )
    return proposal


def within(hit: OfficeHit) -> bool:
    return hit.distance_km is not None and hit.distance_km <= hit.entry.service_radius_km
