"""Anchoring a batch: one transaction per batch, ever, whatever crashes in between.

1. Under a lock, sign the transaction and store it (raw bytes, hash, nonce) and COMMIT.
2. Ask the chain whether that hash is known; send the stored bytes only if it is not.
3. Wait for it to be mined with enough confirmations; record the block; defer certificates.

A crash after step 1 resends the very same signed bytes (same hash) on retry; a crash after
step 2 finds the transaction already known and does not send again. A new transaction is
signed only for a batch with no stored one, and the unique batch_id forbids a second row.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy import func, select, text

from probant_platform.config import Settings
from probant_platform.db import Database, utcnow
from probant_platform.errors import DomainError
from probant_platform.integrity.chain import AnchorChain, AnchorPayload
from probant_platform.integrity.models import Anchor, AnchorStatus, Batch
from probant_platform.jobs import enqueue

log = structlog.get_logger(__name__)

SIGNING_LOCK = 0x50524F42414E55
CRASH_ENV = "PROBANT_TEST_CRASH_AT"  # tests only: kill the process at a named point
MINING_WAIT_SECONDS = 30.0


class AnchorPending(DomainError):
    code = "ANCHOR_PENDING"
    message_fr = "La transaction d'ancrage attend sa confirmation."
    message_en = "The anchoring transaction is waiting for confirmation."


def crash_point(name: str) -> None:
    """Die here, like a killed worker, when a test asks for it (never in production)."""
    if os.environ.get(CRASH_ENV) == name and os.environ.get("PROBANT_ENV") != "production":
        os._exit(75)


@dataclass(frozen=True)
class AnchorOutcome:
    tx_hash: str
    block_number: int
    newly_confirmed: bool


async def _stored_or_signed(
    *, database: Database, chain: AnchorChain, batch_id: uuid.UUID
) -> Anchor:
    async with database.unit_of_work() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SIGNING_LOCK})
        anchor = (
            await session.execute(
                select(Anchor).where(Anchor.batch_id == batch_id).with_for_update()
            )
        ).scalar_one_or_none()
        if anchor is None:
            batch = await session.get(Batch, batch_id)
            if batch is None:
                raise LookupError(f"no batch {batch_id}")
            chain_id = await asyncio.to_thread(lambda: chain.chain_id)
            highest = (
                await session.execute(
                    select(func.max(Anchor.nonce)).where(
                        Anchor.chain_id == chain_id, Anchor.sender == chain.address
                    )
                )
            ).scalar_one()
            nonce = max(
                await asyncio.to_thread(chain.pending_nonce),
                -1 if highest is None else highest + 1,
            )
            payload = AnchorPayload(batch.sequence, batch.root, batch.previous_root)
            raw, tx_hash = await asyncio.to_thread(chain.sign_anchor, payload, nonce=nonce)
            anchor = Anchor(
                batch_id=batch_id,
                chain_id=chain_id,
                development=chain.development,
                sender=chain.address,
                nonce=nonce,
                tx_hash=tx_hash,
                raw_transaction=raw,
                status=AnchorStatus.SIGNED,
                attempts=0,
            )
            session.add(anchor)
            log.info("anchor.signed", sequence=batch.sequence, tx_hash=tx_hash, nonce=nonce)
        anchor.attempts += 1
        await session.flush()
        return anchor


async def _earlier_unsent(database: Database, anchor: Anchor) -> list[Anchor]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            select(Anchor)
            .where(
                Anchor.chain_id == anchor.chain_id,
                Anchor.sender == anchor.sender,
                Anchor.nonce < anchor.nonce,
                Anchor.status == AnchorStatus.SIGNED,
            )
            .order_by(Anchor.nonce)
        )
        return list(rows.scalars())


async def _send_once(chain: AnchorChain, anchor: Anchor) -> None:
    if await asyncio.to_thread(chain.transaction, anchor.tx_hash) is not None:
        return  # sent before a crash: never send a second time
    try:
        await asyncio.to_thread(chain.send, anchor.raw_transaction)
    except Exception:
        if await asyncio.to_thread(chain.transaction, anchor.tx_hash) is None:
            raise


async def anchor_batch(
    *, database: Database, settings: Settings, chain: AnchorChain, batch_id: uuid.UUID
) -> AnchorOutcome:
    """Anchor `batch_id` (idempotent); raises AnchorPending while it is not confirmed."""
    from probant_platform.integrity.timestamps import stamp_quietly

    await stamp_quietly(database=database, settings=settings, batch_id=batch_id)
    anchor = await _stored_or_signed(database=database, chain=chain, batch_id=batch_id)
    crash_point("anchor.after_persist")
    if anchor.status is AnchorStatus.CONFIRMED:
        assert anchor.block_number is not None
        return AnchorOutcome(anchor.tx_hash, anchor.block_number, newly_confirmed=False)
    for earlier in await _earlier_unsent(database, anchor):  # a nonce gap would stall ours
        await _send_once(chain, earlier)
    await _send_once(chain, anchor)
    crash_point("anchor.after_send")
    async with database.unit_of_work() as session:
        stored = await session.get(Anchor, anchor.id, with_for_update=True)
        assert stored is not None
        if stored.status is AnchorStatus.SIGNED:
            stored.status, stored.sent_at = AnchorStatus.SENT, utcnow()
    return await _confirm(database=database, settings=settings, chain=chain, anchor_id=anchor.id)


async def _confirm(
    *, database: Database, settings: Settings, chain: AnchorChain, anchor_id: uuid.UUID
) -> AnchorOutcome:
    deadline = asyncio.get_running_loop().time() + MINING_WAIT_SECONDS
    async with database.unit_of_work() as session:
        anchor = await session.get(Anchor, anchor_id)
        assert anchor is not None
        tx_hash = anchor.tx_hash
    while True:
        found = await asyncio.to_thread(chain.transaction, tx_hash)
        if found is not None and found.block_number is not None:
            head = await asyncio.to_thread(chain.head)
            confirmations = head - found.block_number + 1
            if confirmations >= settings.chain_confirmations:
                break
        if asyncio.get_running_loop().time() > deadline:
            raise AnchorPending()
        await asyncio.sleep(1.0)
    block = await asyncio.to_thread(chain.block, found.block_number)
    async with database.unit_of_work() as session:
        anchor = await session.get(Anchor, anchor_id, with_for_update=True)
        assert anchor is not None
        if anchor.status is AnchorStatus.CONFIRMED:
            return AnchorOutcome(tx_hash, block.number, newly_confirmed=False)
        anchor.status, anchor.confirmed_at = AnchorStatus.CONFIRMED, utcnow()
        anchor.block_number, anchor.block_hash, anchor.block_time = (
            block.number,
            block.hash,
            block.time,
        )
        anchor.confirmations = confirmations
        deposits = await session.execute(
            text("SELECT organisation_id, deposit_id FROM probant_batch_deposits(:batch)"),
            {"batch": anchor.batch_id},
        )
        for organisation_id, deposit_id in deposits:
            await enqueue(
                session,
                "integrity.certify_deposit",
                organisation_id=str(organisation_id),
                deposit_id=str(deposit_id),
            )
        log.info("anchor.confirmed", tx_hash=tx_hash, block=block.number)
    return AnchorOutcome(tx_hash, block.number, newly_confirmed=True)


async def unanchored_batches(database: Database) -> list[uuid.UUID]:
    """Batches whose anchor is missing or unconfirmed, oldest first (for the sweeper)."""
    async with database.unit_of_work() as session:
        rows = await session.execute(
            select(Batch.id)
            .outerjoin(Anchor, Anchor.batch_id == Batch.id)
            .where((Anchor.id.is_(None)) | (Anchor.status != AnchorStatus.CONFIRMED))
            .order_by(Batch.sequence)
        )
        return list(rows.scalars())
