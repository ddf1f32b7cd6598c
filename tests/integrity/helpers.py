"""A sealed deposit made through the API, and what the integrity tests need around it."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import insert, select
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import MemberInfo, log_in, make_organisation, set_language
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.evidence.models import Deposit
from probant_platform.evidence.tasks import deposit_sealed
from probant_platform.integrity.models import Leaf


@dataclass
class SealedDeposit:
    owner: MemberInfo
    client: httpx.AsyncClient
    node_id: str
    deposit_id: uuid.UUID
    reference: str
    photos: list[bytes]


async def sealed_deposit(
    database: Database, client: httpx.AsyncClient, *, photos: int = 2, locale: str = "fr"
) -> SealedDeposit:
    """Given an organisation with credits, a deposit captured, filled, sealed (by an owner
    whose account is in `locale`), and its `evidence.deposit_sealed` job run (so its items
    wait in the open batch)."""
    owner = await make_organisation(database)
    await set_language(database, owner, locale)
    await fund(database, owner.organisation_id, 5)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    bodies = [photo_jpeg(seed=secrets.randbelow(10_000)) for _ in range(photos)]
    for body in bodies:
        assert (await capture_one(client, session["id"], body)).status_code == 201
    node_id = session["deposit"]["id"]
    assert (await fill(client, node_id))["__typename"] == "DepositPayload"
    assert (await seal(client, node_id))["__typename"] == "DepositPayload"
    reference = session["deposit"]["reference"]
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        deposit = (
            await s.execute(select(Deposit).where(Deposit.reference == reference))
        ).scalar_one()
    await deposit_sealed(organisation_id=str(owner.organisation_id), deposit_id=str(deposit.id))
    return SealedDeposit(owner, client, node_id, deposit.id, reference, bodies)


async def leaves_of(database: Database, deposit_id: uuid.UUID) -> list[Leaf]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            select(Leaf).where(Leaf.deposit_id == deposit_id).order_by(Leaf.id)
        )
        return list(rows.scalars())


async def synthetic_leaves(database: Database, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    now = utcnow()
    async with database.unit_of_work() as session:
        await session.execute(
            insert(Leaf),
            [
                {
                    "item_id": item_id,
                    "deposit_id": uuid.uuid4(),
                    "deposit_reference": "SYNTH",
                    "item_sha256": hashlib.sha256(item_id.bytes).hexdigest(),
                    "record_sha256": hashlib.sha256(b"r" + item_id.bytes).hexdigest(),
                    "sealed_at": now,
                    "joined_at": now,
                }
                for item_id in ids
            ],
        )
    return ids
