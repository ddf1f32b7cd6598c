"""Spends per second against real PostgreSQL (run by `make bench`; not part of the suite).

32 concurrent clients (spread over BENCH_PROCESSES client processes, default 4, so that one
Python interpreter is not what is measured) spend 1 credit at a time, first all on one wallet,
then spread over 100 wallets; each run reports spends/s and checks that no wallet went below
zero. A baseline of plain `SELECT 1` transactions with the same clients and processes is
measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import secrets
import sys
import time
import uuid
from pathlib import Path
from typing import Any

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
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "4"))


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


def _worker(
    app_url: str,
    job: str,
    orgs: list[uuid.UUID],
    indices: list[int],
    clients: int,
    ready: Any,
    go: Any,
    out: Any,
) -> None:
    """One client process: `clients` concurrent coroutines working through `indices`."""

    async def run() -> None:
        db = Database(app_url, pool_size=clients)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in indices:
            queue.put_nowait(i)
        refused = 0

        async def client() -> None:
            nonlocal refused
            while not queue.empty():
                i = queue.get_nowait()
                org = orgs[i % len(orgs)] if orgs else None
                try:
                    if org is None:
                        async with db.unit_of_work() as s:
                            await s.execute(text("SELECT 1"))
                        continue
                    async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
                        await services.spend(
                            session=s,
                            organisation_id=org,
                            membership_id=uuid.uuid4(),
                            role_is_admin=True,
                            credits=1,
                            idempotency_key=f"{job}{i}",
                            reference="b",
                        )
                except InsufficientCredits:
                    refused += 1

        async with db.unit_of_work() as s:  # open the pool before the clock starts
            await s.execute(text("SELECT 1"))
        ready.set()
        go.wait()
        await asyncio.gather(*(client() for _ in range(clients)))
        out.put((time.monotonic(), refused))
        await db.dispose()

    asyncio.run(run())


def _measure(app_url: str, job: str, orgs: list[uuid.UUID], count: int) -> tuple[float, int]:
    """Operations per second over PROCESSES processes sharing CLIENTS clients."""
    ctx = multiprocessing.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    workers, events = [], []
    for n in range(PROCESSES):
        ready = ctx.Event()
        indices = list(range(n, count, PROCESSES))
        proc = ctx.Process(
            target=_worker,
            args=(app_url, job, orgs, indices, CLIENTS // PROCESSES, ready, go, out),
        )
        proc.start()
        workers.append(proc)
        events.append(ready)
    for ready in events:
        ready.wait()
    start = time.monotonic()
    go.set()
    results = [out.get() for _ in workers]
    for proc in workers:
        proc.join()
    end = max(finished for finished, _ in results)
    return count / (end - start), sum(refused for _, refused in results)


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
    app_url = app_database_url(owner, settings)
    db = Database(app_url, pool_size=4)
    try:
        # The one wallet holds 20 credits fewer than the spends asked: exactly 20 are refused.
        one_wallet = await _organisations(db, 1, SPENDS - 20)
        many = await _organisations(db, 100, SPENDS // 100)
        baseline, _ = _measure(app_url, "baseline", [], SPENDS)
        single_rate, single_refused = _measure(app_url, "one", one_wallet, SPENDS)
        spread_rate, spread_refused = _measure(app_url, "many", many, SPENDS)
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
        "client_processes": PROCESSES,
        "spends": SPENDS,
        "baseline_select1_per_s": round(baseline),
        "one_wallet_spends_per_s": round(single_rate),
        "one_wallet_ratio_to_baseline": round(single_rate / baseline, 3),
        "100_wallets_spends_per_s": round(spread_rate),
        "100_wallets_ratio_to_baseline": round(spread_rate / baseline, 3),
        "refused_on_one_wallet (expected 20)": single_refused,
        "refused_on_100_wallets (expected 0)": spread_refused,
        "negative_wallets": negative,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
