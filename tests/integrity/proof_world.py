"""A sealed, batched and anchored deposit between other batches, and its proof bundle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tests.integrity.helpers import SealedDeposit, sealed_deposit, synthetic_leaves

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.models import Deposit
from probant_platform.integrity.anchoring import anchor_batch
from probant_platform.integrity.batches import close_due_batches
from probant_platform.integrity.bundle import proof_bundle
from probant_platform.integrity.chain import ChainReader, anchor_chain
from probant_platform.integrity.devchain import development_chain
from probant_platform.integrity.models import Batch


@dataclass
class ProofWorld:
    sealed: SealedDeposit
    files: list[Path]
    batches: list[Batch]  # before, before, the deposit's, after
    reader: ChainReader


async def close_and_anchor(database: Database, settings: Settings) -> list[Batch]:
    closed = await close_due_batches(database=database, settings=settings, force=True)
    for batch in closed:
        await anchor_batch(
            database=database, settings=settings, chain=anchor_chain(settings), batch_id=batch.id
        )
    return closed


async def build_world(
    database: Database, client: httpx.AsyncClient, settings: Settings, folder: Path
) -> ProofWorld:
    batches = []
    for _ in range(2):
        await synthetic_leaves(database, 2)
        batches += await close_and_anchor(database, settings)
    sealed = await sealed_deposit(database, client, photos=3)
    batches += await close_and_anchor(database, settings)
    await synthetic_leaves(database, 2)
    batches += await close_and_anchor(database, settings)
    files = []
    for number, body in enumerate(sealed.photos, start=1):
        path = folder / f"photo-{number}.jpg"
        path.write_bytes(body)
        files.append(path)
    reader = ChainReader(development_chain(settings.data_dir).sync, development=True)
    return ProofWorld(sealed, files, batches, reader)


async def bundle_of(database: Database, settings: Settings, world: ProofWorld) -> dict[str, Any]:
    scope = TenantScope(organisation_id=world.sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, world.sealed.deposit_id)
        assert deposit is not None
        return await proof_bundle(session=session, settings=settings, deposit=deposit)
