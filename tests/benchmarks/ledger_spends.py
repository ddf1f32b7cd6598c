"""Spends per second against real PostgreSQL (run by `make bench`; not part of the suite).

32 concurrent clients spend 1 credit at a time, first all on one wallet, then spread over 100
wallets; each run reports spends/s and checks that no wallet went below zero. A baseline of
plain `SELECT 1` round trips with the same concurrency is measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / r) for r in ("platform", "tenants", "graphql")]

from probant_platform.config import Settings  # noqa: E402
from probant_platform.db import Database, TenantScope  # noqa: E402
from probant_platform.db.migrate import migrate  # noqa: E402
from probant_platform.db.roles import app_database_url  # noqa: E402
from probant_platform.ledger import services  # noqa: E402
from probant_platform.ledger.errors import InsufficientCredits  # noqa: E402
from probant_platform.ledger.models import TransactionKind  # noqa: E402
from probant_tenants.models import Organisation, OrganisationKind  # noqa: E402

CLIENTS, SPENDS = 32, 1600


async def _organisations(db: Database, count: int, credits: int) -> list[uuid.UUID]:
    ids = []
    for _ in range(count):
        org = uuid.uuid4()
        async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
            s.add(Organisation(id=org, kind=OrganisationKind.COMPANY, name="bench"))
            await s.flush()
            await services.issue(
                session=s,
                organisation_id=org,
                kind=TransactionKind.ADJUSTMENT,
                credits=credits,
                idempotency_key="fund",
                reason="bench",
            )
        ids.append(org)
    return ids


async def _spend(db: Database, orgs: list[uuid.UUID]) -> tuple[float, int]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(SPENDS):
        queue.put_nowait(i)
    refused = 0

    async def client() -> None:
        nonlocal refused
        while not queue.empty():
            i = queue.get_nowait()
            org = orgs[i % len(orgs)]
            try:
                async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
                    await services.spend(
                        session=s,
                        organisation_id=org,
                        membership_id=uuid.uuid4(),
                        role_is_admin=True,
                        credits=1,
                        idempotency_key=f"s{i}",
                        reference="b",
                    )
            except InsufficientCredits:
                refused += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return SPENDS / (time.perf_counter() - start), refused


async def _baseline(db: Database) -> float:
    async def one() -> None:
        for _ in range(SPENDS // CLIENTS):
            async with db.unit_of_work() as s:
                await s.execute(text("SELECT 1"))

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(CLIENTS)))
    return SPENDS / (time.perf_counter() - start)


async def main() -> dict[str, object]:
    server = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner = server.rsplit("/", 1)[0] + f"/{name}"
    settings = Settings(_env_file=None, DATABASE_URL=owner, PROBANT_SECRET_KEY="bench" * 8)  # type: ignore[call-arg]
    migrate(owner, settings)
    db = Database(app_database_url(owner, settings), pool_size=CLIENTS)
    try:
        one_wallet = await _organisations(db, 1, SPENDS)
        many = await _organisations(db, 100, SPENDS // 100)
        baseline = await _baseline(db)
        single_rate, single_refused = await _spend(db, one_wallet)
        spread_rate, spread_refused = await _spend(db, many)
        async with db.unit_of_work() as s:
            negative = (
                await s.execute(
                    text(
                        "SELECT count(*) FROM ledger_accounts WHERE balance < 0 AND kind LIKE '%WALLET'"
                    )
                )
            ).scalar_one()
    finally:
        await db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return {
        "clients": CLIENTS,
        "spends": SPENDS,
        "baseline_select1_per_s": round(baseline),
        "one_wallet_spends_per_s": round(single_rate),
        "one_wallet_ratio_to_baseline": round(single_rate / baseline, 3),
        "100_wallets_spends_per_s": round(spread_rate),
        "100_wallets_ratio_to_baseline": round(spread_rate / baseline, 3),
        "refused": single_refused + spread_refused,
        "negative_wallets": negative,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
