"""Batch roots are written on the chain once, even when the worker dies mid-way."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integrity.chain_helpers import transactions_carrying
from tests.integrity.helpers import synthetic_leaves
from tests.support import TEST_SECRET

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.integrity.anchoring import anchor_batch
from probant_platform.integrity.batches import close_due_batches
from probant_platform.integrity.chain import AnchorPayload, anchor_chain
from probant_platform.integrity.models import Anchor, AnchorStatus, Batch


async def _anchor(database: Database, batch_id: uuid.UUID) -> Anchor:
    async with database.unit_of_work() as session:
        anchor = (
            await session.execute(select(Anchor).where(Anchor.batch_id == batch_id))
        ).scalar_one()
        return anchor


async def test_a_batch_root_is_written_once_in_a_zero_value_transaction(
    database: Database, settings: Settings
) -> None:
    await synthetic_leaves(database, 5)
    [batch] = await close_due_batches(database=database, settings=settings, force=True)
    chain = anchor_chain(settings)

    first = await anchor_batch(database=database, settings=settings, chain=chain, batch_id=batch.id)
    again = await anchor_batch(database=database, settings=settings, chain=chain, batch_id=batch.id)

    assert (first.newly_confirmed, again.newly_confirmed) == (True, False)
    assert again.tx_hash == first.tx_hash
    assert transactions_carrying(settings.data_dir, batch.root) == [first.tx_hash]
    tx = chain.transaction(first.tx_hash)
    assert tx is not None and tx.block_number == first.block_number
    assert AnchorPayload.decode(tx.data) == AnchorPayload(
        batch.sequence, batch.root, batch.previous_root
    )
    w3 = chain._web3()
    assert w3.eth.get_transaction(first.tx_hash)["value"] == 0  # type: ignore[arg-type]
    anchor = await _anchor(database, batch.id)
    assert anchor.status is AnchorStatus.CONFIRMED and anchor.development
    assert anchor.chain_id == 131_277_322_940_537
    assert anchor.block_time is not None and anchor.confirmations == 1


def _anchor_in_subprocess(
    settings: Settings, owner_url: str, sequence: int, crash_at: str | None
) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": str(settings.data_dir),
        "PROBANT_SECRET_KEY": TEST_SECRET,
        "PROBANT_ENV": "development",
        "PROBANT_LOG_LEVEL": "WARNING",
    }
    env.pop("PROBANT_TEST_CRASH_AT", None)
    if crash_at:
        env["PROBANT_TEST_CRASH_AT"] = crash_at
    command = [sys.executable, "-m", "probant_platform.cli", "integrity", "anchor"]
    result = subprocess.run(
        [*command, "--sequence", str(sequence)],
        env=env,
        cwd=Path(settings.data_dir),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 75), result.stderr.decode()[-2000:]
    return result.returncode


@pytest.mark.parametrize("crash_at", ["anchor.after_persist", "anchor.after_send"])
async def test_a_worker_killed_mid_anchoring_never_anchors_a_batch_twice(
    committed_database: Database, settings: Settings, owner_url: str, crash_at: str
) -> None:
    await synthetic_leaves(committed_database, 3)
    [batch] = await close_due_batches(database=committed_database, settings=settings, force=True)

    killed = _anchor_in_subprocess(settings, owner_url, batch.sequence, crash_at)

    assert killed == 75  # the process died at that point
    signed = await _anchor(committed_database, batch.id)
    assert signed.status is AnchorStatus.SIGNED  # persisted before the crash
    on_chain = transactions_carrying(settings.data_dir, batch.root)
    assert on_chain == ([] if crash_at == "anchor.after_persist" else [signed.tx_hash])

    assert _anchor_in_subprocess(settings, owner_url, batch.sequence, None) == 0
    assert _anchor_in_subprocess(settings, owner_url, batch.sequence, None) == 0

    confirmed = await _anchor(committed_database, batch.id)
    assert confirmed.status is AnchorStatus.CONFIRMED
    assert confirmed.tx_hash == signed.tx_hash
    assert transactions_carrying(settings.data_dir, batch.root) == [signed.tx_hash]
    async with committed_database.unit_of_work() as session:
        assert (await session.get(Batch, batch.id)) is not None


@pytest.mark.parametrize("leaves", [1, 2_500])
async def test_a_batch_costs_one_80_byte_transaction_whatever_its_size(
    database: Database, settings: Settings, leaves: int
) -> None:
    await synthetic_leaves(database, leaves)
    [batch] = await close_due_batches(database=database, settings=settings, force=True)
    chain = anchor_chain(settings)
    w3 = chain._web3()
    head_before = w3.eth.block_number

    anchored = await anchor_batch(
        database=database, settings=settings, chain=chain, batch_id=batch.id
    )

    assert batch.leaf_count == leaves
    assert w3.eth.block_number == head_before + 1  # one block, for one transaction
    block = w3.eth.get_block(anchored.block_number, full_transactions=True)
    [tx] = block["transactions"]
    assert len(bytes(tx.get("input") or tx["data"])) == 80  # type: ignore[union-attr,index]
    assert tx["value"] == 0 and tx["to"] == tx["from"]  # type: ignore[index]
    assert transactions_carrying(settings.data_dir, batch.root) == [anchored.tx_hash]
