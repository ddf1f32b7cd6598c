"""The read side of evidence: which deposits and items a reader sees, the archive's filters,
and the rows the API loads in batches.

A reader sees their organisation's deposits when allowed to read them all (OWNER/ADMIN, an API
client reading deposits), else the ones they authored; deleted deposits are not in the archive.
The rule is written once, as a SQL condition, and used both to list and to fetch by id.
Row-level security hides other tenants' rows anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem, ItemStatus
from probant_platform.text import contains_pattern
from probant_tenants.models import Organisation

AnyRow = Row[*tuple[Any, ...]]

# The columns the API's types read: pages select these as plain rows (no ORM objects, no
# identity map, no signature image), which the types read like the models themselves.
DEPOSIT_COLUMNS = (
    Deposit.id,
    Deposit.reference,
    Deposit.kind,
    Deposit.status,
    Deposit.title,
    Deposit.street,
    Deposit.postcode,
    Deposit.city,
    Deposit.floor,
    Deposit.flat,
    Deposit.building,
    Deposit.address_details,
    Deposit.description,
    Deposit.created_at,
    Deposit.sealed_at,
    Deposit.signature_name,
    Deposit.credits_spent,
)
ITEM_COLUMNS = (
    EvidenceItem.id,
    EvidenceItem.deposit_id,
    EvidenceItem.organisation_id,
    EvidenceItem.sha256,
    EvidenceItem.size,
    EvidenceItem.media_type,
    EvidenceItem.width,
    EvidenceItem.height,
    EvidenceItem.duration_seconds,
    EvidenceItem.captured_at,
    EvidenceItem.received_at,
    EvidenceItem.clock_skew_flagged,
    EvidenceItem.latitude,
    EvidenceItem.longitude,
    EvidenceItem.accuracy_meters,
    EvidenceItem.location_fixed_at,
    EvidenceItem.no_location_reason,
    EvidenceItem.comment,
    EvidenceItem.blob_key,
    EvidenceItem.thumbnail_key,
)


@dataclass(frozen=True)
class Reader:
    """Who reads deposits, and whether their permissions let them read all the organisation's."""

    organisation_id: uuid.UUID
    membership_id: uuid.UUID
    reads_all: bool  # DEPOSITS_READ_ALL (a token's scopes narrow it)


@dataclass(frozen=True)
class ArchiveFilter:
    """The archive's filters; None (or empty) leaves a criterion out."""

    status: DepositStatus | None = None
    author_membership_id: uuid.UUID | None = None
    from_: datetime | None = None
    to: datetime | None = None
    search: str | None = None


def _seen(reader: Reader) -> ColumnElement[bool]:
    own = Deposit.organisation_id == reader.organisation_id
    if reader.reads_all:
        return own
    return and_(own, Deposit.author_membership_id == reader.membership_id)


def archive(reader: Reader, filter: ArchiveFilter | None = None) -> Select[*tuple[Any, ...]]:
    """Rows of `DEPOSIT_COLUMNS`: the deposits the reader sees, not deleted, filtered; unordered."""
    query = select(*DEPOSIT_COLUMNS).where(_seen(reader), Deposit.status != DepositStatus.DELETED)
    if filter is None:
        return query
    if filter.status is not None:
        query = query.where(Deposit.status == filter.status)
    if filter.author_membership_id is not None:
        query = query.where(Deposit.author_membership_id == filter.author_membership_id)
    if filter.from_ is not None:
        query = query.where(Deposit.created_at >= filter.from_)
    if filter.to is not None:
        query = query.where(Deposit.created_at < filter.to)
    if filter.search:
        pattern = contains_pattern(filter.search)
        query = query.where(
            or_(
                Deposit.title.ilike(pattern),
                Deposit.reference.ilike(pattern),
                Deposit.city.ilike(pattern),
            )
        )
    return query


async def visible_deposits(
    *, session: AsyncSession, reader: Reader, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Deposit]:
    """The deposits among `ids` the reader sees (one query)."""
    if not ids:
        return {}
    rows = await session.execute(select(Deposit).where(Deposit.id.in_(list(ids)), _seen(reader)))
    return {d.id: d for d in rows.scalars()}


async def visible_items(
    *, session: AsyncSession, reader: Reader, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EvidenceItem]:
    """The items among `ids` whose deposit the reader sees (two queries)."""
    if not ids:
        return {}
    rows = (
        (await session.execute(select(EvidenceItem).where(EvidenceItem.id.in_(list(ids)))))
        .scalars()
        .all()
    )
    seen = await visible_deposits(
        session=session, reader=reader, ids=list({r.deposit_id for r in rows})
    )
    return {r.id: r for r in rows if r.deposit_id in seen}


async def stored_items_of(
    *, session: AsyncSession, deposit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AnyRow]]:
    """Rows of `ITEM_COLUMNS`: the stored items of each deposit, in capture order (one query)."""
    rows = await session.execute(
        select(*ITEM_COLUMNS)
        .where(
            EvidenceItem.deposit_id.in_(list(deposit_ids)),
            EvidenceItem.status == ItemStatus.STORED,
        )
        .order_by(EvidenceItem.captured_at, EvidenceItem.id)
    )
    grouped: dict[uuid.UUID, list[AnyRow]] = {key: [] for key in deposit_ids}
    for item in rows:
        grouped[item.deposit_id].append(item)
    return grouped


async def location_required(*, session: AsyncSession, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation blocks captures without a location."""
    organisation = await session.get(Organisation, organisation_id)
    return bool(organisation and organisation.capture_location_required)
