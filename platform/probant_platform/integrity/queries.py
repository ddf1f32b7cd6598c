"""The read side of integrity: where a deposit stands in the batches and anchors, and its
certified report's archived versions, as the archive shows them.

Also the operators' anchoring status: the latest batches, the late ones, the sealed items
not yet in a batch.

The caller has already found the deposit among those the viewer sees; row-level security
applies to every row read here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.integrity.models import (
    Anchor,
    AnchorStatus,
    Batch,
    Certificate,
    Leaf,
    PdfVersion,
)


class IntegrityStatus(Enum):
    NOT_SEALED = "NOT_SEALED"
    WAITING_FOR_BATCH = "WAITING_FOR_BATCH"
    WAITING_FOR_ANCHOR = "WAITING_FOR_ANCHOR"
    ANCHORED = "ANCHORED"


@dataclass(frozen=True)
class DepositIntegrity:
    status: IntegrityStatus
    batches: list[Batch]  # by sequence
    anchors: list[Anchor]  # the confirmed ones


async def deposit_integrity(*, session: AsyncSession, deposit: Deposit) -> DepositIntegrity:
    """Whether every item of the deposit is in a batch, and every batch anchored (one query)."""
    if deposit.status is DepositStatus.DRAFT:
        return DepositIntegrity(IntegrityStatus.NOT_SEALED, [], [])
    rows = (
        await session.execute(
            select(Leaf.batch_id, Batch, Anchor)
            .outerjoin(Batch, Batch.id == Leaf.batch_id)
            .outerjoin(Anchor, Anchor.batch_id == Leaf.batch_id)
            .where(Leaf.deposit_id == deposit.id)
        )
    ).all()
    batches = {b.sequence: b for _, b, _ in rows if b is not None}
    anchors = {a.batch_id: a for _, _, a in rows if a is not None}
    if not rows or any(batch_id is None for batch_id, _, _ in rows):
        status = IntegrityStatus.WAITING_FOR_BATCH
    elif len(anchors) < len(batches) or any(
        a.status is not AnchorStatus.CONFIRMED for a in anchors.values()
    ):
        status = IntegrityStatus.WAITING_FOR_ANCHOR
    else:
        status = IntegrityStatus.ANCHORED
    return DepositIntegrity(
        status=status,
        batches=[batches[s] for s in sorted(batches)],
        anchors=[a for a in anchors.values() if a.status is AnchorStatus.CONFIRMED],
    )


async def issued_certificate_locale(*, session: AsyncSession, deposit_id: uuid.UUID) -> str | None:
    """The language the deposit's certified report was issued in, or None before it is."""
    found = await session.execute(
        select(Certificate.locale).where(
            Certificate.deposit_id == deposit_id, Certificate.blob_key.is_not(None)
        )
    )
    return found.scalar_one_or_none()


async def certificate_valid_until(
    *, session: AsyncSession, deposit_id: uuid.UUID
) -> datetime | None:
    """When the newest archived version of the deposit's certified report stops being
    checkable without a renewal (its newest timestamp certificate expires)."""
    found = await session.execute(
        select(PdfVersion.valid_until)
        .join(Certificate, Certificate.id == PdfVersion.certificate_id)
        .where(Certificate.deposit_id == deposit_id)
        .order_by(PdfVersion.version.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


# A closed batch whose root is not confirmed on the chain after this long needs a look.
ANCHOR_LATE_AFTER = timedelta(minutes=30)
LATEST_BATCHES = 20


def is_late(batch: Batch, anchor: Anchor | None, now: datetime) -> bool:
    """Closed more than `ANCHOR_LATE_AFTER` ago and its anchor still not confirmed."""
    confirmed = anchor is not None and anchor.status is AnchorStatus.CONFIRMED
    return not confirmed and now - batch.closed_at > ANCHOR_LATE_AFTER


@dataclass(frozen=True)
class BatchAnchoring:
    batch: Batch
    anchor: Anchor | None
    late: bool


@dataclass(frozen=True)
class AnchoringStatus:
    late_after: timedelta
    waiting_items: int  # sealed items not yet in a batch
    latest: list[BatchAnchoring]  # newest first
    late: list[BatchAnchoring]  # every late batch, oldest first


async def anchoring_status(
    *, session: AsyncSession, now: datetime, latest: int = LATEST_BATCHES
) -> AnchoringStatus:
    """Where anchoring stands at `now` (for operators: no tenant data)."""
    base = select(Batch, Anchor).outerjoin(Anchor, Anchor.batch_id == Batch.id)
    newest = (await session.execute(base.order_by(Batch.sequence.desc()).limit(latest))).all()
    late = (
        await session.execute(
            base.where(
                (Anchor.id.is_(None)) | (Anchor.status != AnchorStatus.CONFIRMED),
                Batch.closed_at < now - ANCHOR_LATE_AFTER,
            ).order_by(Batch.sequence)
        )
    ).all()
    waiting = (
        await session.execute(select(func.count()).select_from(Leaf).where(Leaf.batch_id.is_(None)))
    ).scalar_one()
    return AnchoringStatus(
        late_after=ANCHOR_LATE_AFTER,
        waiting_items=int(waiting),
        latest=[BatchAnchoring(b, a, is_late(b, a, now)) for b, a in newest],
        late=[BatchAnchoring(b, a, is_late(b, a, now)) for b, a in late],
    )
