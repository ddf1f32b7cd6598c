"""The read side of integrity: where a deposit stands in the batches and anchors, and its
certified report's archived versions, as the archive shows them.

The caller has already found the deposit among those the viewer sees; row-level security
applies to every row read here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import select
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
