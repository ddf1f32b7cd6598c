"""Sealed items join the open batch; batches close on time or size and form a chain."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from tests.integrity.helpers import leaves_of, sealed_deposit, synthetic_leaves
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.integrity import merkle
from probant_platform.integrity.batches import close_due_batches
from probant_platform.integrity.models import Batch, Leaf, SealedRecord
from probant_platform.integrity.records import ZERO_ROOT, record_sha256


async def _batch(database: Database, batch_id: uuid.UUID | None) -> Batch:
    async with database.unit_of_work() as session:
        batch = await session.get(Batch, batch_id)
        assert batch is not None
        return batch


async def test_a_sealed_deposit_waits_in_the_open_batch_until_it_is_due(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    sealed = await sealed_deposit(database, client, photos=1)
    [leaf] = await leaves_of(database, sealed.deposit_id)
    assert leaf.batch_id is None
    assert leaf.item_sha256 == hashlib.sha256(sealed.photos[0]).hexdigest()
    assert (leaf.approximate_latitude, leaf.approximate_longitude) == (48.86, 2.35)

    assert await close_due_batches(database=database, settings=settings) == []
    later = utcnow() + timedelta(seconds=settings.batch_seconds + 1)
    [batch] = await close_due_batches(database=database, settings=settings, now=later)

    [leaf] = await leaves_of(database, sealed.deposit_id)
    assert (leaf.batch_id, leaf.leaf_index) == (batch.id, 0)
    assert batch.leaf_count == 1
    # one leaf: the root is that leaf's hash, the proof is empty
    assert batch.root == merkle.leaf_hash(bytes.fromhex(leaf.record_sha256)).hex()


async def test_the_leaf_commits_to_the_sealed_record_holding_the_file_hash(
    database: Database, client: httpx.AsyncClient
) -> None:
    sealed = await sealed_deposit(database, client, photos=1)
    [leaf] = await leaves_of(database, sealed.deposit_id)
    async with database.unit_of_work() as session:
        # without the tenant's scope the record (names, address) is invisible
        assert await session.get(SealedRecord, leaf.item_id) is None
    scope = TenantScope(organisation_id=sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        record = await session.get(SealedRecord, leaf.item_id)
    assert record is not None
    assert record_sha256(record.record) == leaf.record_sha256
    assert f'"sha256":"{leaf.item_sha256}"' in record.record
    assert f'"reference":"{sealed.reference}"' in record.record


async def test_ten_thousand_and_one_leaves_make_two_chained_batches(
    database: Database, settings: Settings
) -> None:
    ids = await synthetic_leaves(database, 10_001)

    [full] = await close_due_batches(database=database, settings=settings)
    later = utcnow() + timedelta(seconds=settings.batch_seconds + 1)
    [rest] = await close_due_batches(database=database, settings=settings, now=later)

    assert (full.leaf_count, rest.leaf_count) == (10_000, 1)
    assert rest.sequence == full.sequence + 1
    assert rest.previous_root == full.root
    async with database.unit_of_work() as session:
        rows = (
            await session.execute(
                select(Leaf.item_id, Leaf.record_sha256, Leaf.batch_id, Leaf.leaf_index)
                .where(Leaf.item_id.in_(ids))
                .order_by(Leaf.id)
            )
        ).all()
    assert [r.batch_id for r in rows] == [full.id] * 10_000 + [rest.id]
    assert [r.leaf_index for r in rows] == [*range(10_000), 0]
    tree = merkle.build([bytes.fromhex(r.record_sha256) for r in rows[:10_000]])
    assert tree.root.hex() == full.root
    for index in (0, 4_321, 9_999):
        leaf_input = bytes.fromhex(rows[index].record_sha256)
        assert merkle.verify(leaf_input, tree.proof(index), bytes.fromhex(full.root))


async def test_the_first_batch_points_at_the_zero_root_and_batches_cannot_be_edited(
    database: Database, settings: Settings
) -> None:
    await synthetic_leaves(database, 3)
    [batch] = await close_due_batches(database=database, settings=settings, force=True)
    async with database.unit_of_work() as session:
        first = (
            await session.execute(select(Batch).order_by(Batch.sequence).limit(1))
        ).scalar_one()
    assert first.previous_root == ZERO_ROOT
    with refused(INSUFFICIENT_PRIVILEGE):
        async with database.unit_of_work() as session:
            stored = await session.get(Batch, batch.id)
            assert stored is not None
            stored.root = "f" * 64
    with refused(INSUFFICIENT_PRIVILEGE, match="integrity leaves are immutable"):
        async with database.unit_of_work() as session:
            leaf = (
                await session.execute(select(Leaf).where(Leaf.batch_id == batch.id).limit(1))
            ).scalar_one()
            leaf.leaf_index = 7
    async with database.unit_of_work() as session:
        stored = await session.get(Batch, batch.id)
        indexes = await session.execute(
            select(Leaf.leaf_index).where(Leaf.batch_id == batch.id).order_by(Leaf.leaf_index)
        )
        assert stored is not None and stored.root == batch.root
        assert list(indexes.scalars()) == [0, 1, 2]
