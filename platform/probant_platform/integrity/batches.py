"""Sealed items join the open batch; a batch closes every N seconds or M leaves.

The open batch is simply the set of leaves with no batch yet. Closing takes the oldest
pending leaves (at most M) in join order, builds their Merkle tree, records the root with the
previous batch's root (the chain) and defers the anchoring job in the same transaction.
Closers serialise on an advisory lock, so two workers never number two batches alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem
from probant_platform.integrity import merkle
from probant_platform.integrity.models import Batch, Certificate, Leaf, PdfVersion, SealedRecord
from probant_platform.integrity.people import author_of
from probant_platform.integrity.records import (
    ZERO_ROOT,
    approximate,
    record_facts,
    record_sha256,
    serialise,
)
from probant_platform.jobs import enqueue

CLOSING_LOCK = 0x50524F42414E54  # "PROBANT": one batch closer at a time, across processes


async def join_open_batch(
    *, session: AsyncSession, deposit_id: uuid.UUID, stored_items: list[EvidenceItem]
) -> int:
    """Write each sealed item's record and leaf (idempotent); returns how many joined now."""
    deposit = await session.get(Deposit, deposit_id)
    if deposit is None or deposit.status is DepositStatus.DRAFT or deposit.sealed_at is None:
        return 0
    known = set(
        (
            await session.execute(
                select(SealedRecord.item_id).where(SealedRecord.deposit_id == deposit_id)
            )
        ).scalars()
    )
    author = await author_of(session=session, membership_id=deposit.author_membership_id)
    joined = 0
    for item in stored_items:
        if item.id in known or item.sha256 is None:
            continue
        record = serialise(
            record_facts(deposit=deposit, organisation_name=author.organisation_name, item=item)
        )
        digest = record_sha256(record)
        session.add(
            SealedRecord(
                item_id=item.id,
                deposit_id=deposit.id,
                organisation_id=deposit.organisation_id,
                record=record,
                record_sha256=digest,
            )
        )
        session.add(
            Leaf(
                item_id=item.id,
                deposit_id=deposit.id,
                deposit_reference=deposit.reference,
                item_sha256=item.sha256,
                record_sha256=digest,
                sealed_at=deposit.sealed_at,
                approximate_latitude=approximate(item.latitude),
                approximate_longitude=approximate(item.longitude),
            )
        )
        joined += 1
    await session.flush()
    return joined


@dataclass(frozen=True)
class OpenBatch:
    pending: int
    oldest: datetime | None

    def due(self, *, settings: Settings, now: datetime) -> bool:
        if self.pending == 0 or self.oldest is None:
            return False
        too_old = self.oldest <= now - timedelta(seconds=settings.batch_seconds)
        return self.pending >= settings.batch_max_leaves or too_old


async def open_batch(session: AsyncSession) -> OpenBatch:
    count, oldest = (
        await session.execute(
            select(func.count(), func.min(Leaf.joined_at)).where(Leaf.batch_id.is_(None))
        )
    ).one()
    return OpenBatch(pending=count, oldest=oldest)


async def latest_batch(session: AsyncSession) -> Batch | None:
    return (
        await session.execute(select(Batch).order_by(Batch.sequence.desc()).limit(1))
    ).scalar_one_or_none()


async def close_batch(*, session: AsyncSession, max_leaves: int) -> Batch | None:
    """Close one batch of the oldest pending leaves (None when nothing waits)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLOSING_LOCK})
    rows = (
        await session.execute(
            select(Leaf.id, Leaf.record_sha256, Leaf.joined_at)
            .where(Leaf.batch_id.is_(None))
            .order_by(Leaf.id)
            .limit(max_leaves)
            .with_for_update()
        )
    ).all()
    if not rows:
        return None
    tree = merkle.build([bytes.fromhex(row.record_sha256) for row in rows])
    previous = await latest_batch(session)
    batch = Batch(
        sequence=(previous.sequence + 1) if previous else 1,
        root=tree.root.hex(),
        previous_root=previous.root if previous else ZERO_ROOT,
        leaf_count=len(rows),
        opened_at=min(row.joined_at for row in rows),
        closed_at=utcnow(),
    )
    session.add(batch)
    await session.flush()
    numbered = (
        select(Leaf.id, (func.row_number().over(order_by=Leaf.id) - 1).label("position"))
        .where(Leaf.id.in_([row.id for row in rows]))
        .subquery()
    )
    await session.execute(
        update(Leaf)
        .where(Leaf.id == numbered.c.id)
        .values(batch_id=batch.id, leaf_index=numbered.c.position)
    )
    await enqueue(session, "integrity.anchor_batch", batch_id=str(batch.id))
    return batch


async def close_due_batches(
    *, database: Database, settings: Settings, now: datetime | None = None, force: bool = False
) -> list[Batch]:
    """Close every batch that is due (full, or its oldest leaf waited N seconds); `force`
    closes whatever waits. Each batch is its own transaction."""
    closed: list[Batch] = []
    while True:
        async with database.unit_of_work(TenantScope()) as session:
            state = await open_batch(session)
            if not (force and state.pending) and not state.due(
                settings=settings, now=now or utcnow()
            ):
                return closed
            batch = await close_batch(session=session, max_leaves=settings.batch_max_leaves)
            if batch is None:
                return closed
            closed.append(batch)


async def forget_deposit(*, session: AsyncSession, deposit_id: uuid.UUID) -> list[str]:
    """On deletion: drop the sealed records (names, address, place) and the rounded place of
    the public leaves. Hashes and roots stay, so what was anchored stays checkable. Returns
    the blob keys of certified reports to delete."""
    await session.execute(delete(SealedRecord).where(SealedRecord.deposit_id == deposit_id))
    await session.execute(
        update(Leaf)
        .where(Leaf.deposit_id == deposit_id)
        .values(approximate_latitude=None, approximate_longitude=None)
    )
    certificates = list(
        (
            await session.execute(select(Certificate).where(Certificate.deposit_id == deposit_id))
        ).scalars()
    )
    # Their archived versions (B-LTA renewals) go with them: their blobs are released too.
    renewed = (
        await session.execute(
            select(PdfVersion.blob_key).where(
                PdfVersion.certificate_id.in_([c.id for c in certificates])
            )
        )
    ).scalars()
    keys = [c.blob_key for c in certificates if c.blob_key] + list(renewed)
    for certificate in certificates:
        await session.delete(certificate)
    await session.flush()
    return keys
