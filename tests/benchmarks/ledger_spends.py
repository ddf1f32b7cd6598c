"""Spends per second against real PostgreSQL (run by `make bench`; not part of the suite).

32 concurrent clients (spread over BENCH_PROCESSES client processes, default 4, so that one
Python interpreter is not what is measured) spend 1 credit at a time, first all on one wallet,
then spread over 100 wallets; each run reports spends/s and checks that no wallet went below
zero. A baseline of plain `SELECT 1` transactions with the same clients and processes is
measured in the same run.

The mixed run (issue 21) then sends, with the same clients, transfers (organisation → member
allotments), reclaims (member → organisation) and spends (an admin's from the organisation's
wallet, a member's from their own) over the same few wallets: 4 organisations of 5 members,
so that the same rows are locked in both directions at once. It counts deadlocks (SQLSTATE
40P01) and serialisation failures (40001), both as the clients' drivers saw them (retried
ones included) and as PostgreSQL counted them (`pg_stat_database.deadlocks`), and the script
fails unless there were no deadlocks, every transaction's entries and all the books sum to
zero, every account's balance equals the sum of its entries, and no wallet is below zero.
The checks read the tables as the database owner (row-level security would show the
application role nothing outside a tenant).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import random
import secrets
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert, text

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / r) for r in ("platform", "tenants", "graphql")]

from probant_platform.config import Settings  # noqa: E402
from probant_platform.db import Database, TenantScope  # noqa: E402
from probant_platform.db.migrate import migrate  # noqa: E402
from probant_platform.db.roles import app_database_url  # noqa: E402
from probant_platform.ledger import services  # noqa: E402
from probant_platform.ledger.errors import InsufficientCredits  # noqa: E402
from probant_platform.ledger.models import TransactionKind  # noqa: E402
from probant_tenants.models import (  # noqa: E402
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

CLIENTS, SPENDS = 32, 1600
MIXED_ORGANISATIONS, MEMBERS, MIXED_OPERATIONS = 4, 5, 1600
RETRYABLE = {"40P01": "deadlocks", "40001": "serialization_failures"}
# One mixed operation: (what, organisation index, member index, credits).
Operation = tuple[str, int, int, int]
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


async def _mixed_one(
    db: Database,
    job: str,
    i: int,
    operation: Operation,
    orgs: list[uuid.UUID],
    members: list[list[uuid.UUID]],
) -> None:
    """One transfer, reclaim or spend through the ledger's own service functions."""
    what, o, m, credits = operation
    org, member = orgs[o], members[o][m]
    async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
        if what in ("transfer", "reclaim"):
            await services.transfer(
                session=s,
                organisation_id=org,
                membership_id=member,
                credits=credits,
                idempotency_key=f"{job}{i}",
                reclaim=what == "reclaim",
            )
        else:
            await services.spend(
                session=s,
                organisation_id=org,
                membership_id=member,
                role_is_admin=what == "admin_spend",
                credits=credits,
                idempotency_key=f"{job}{i}",
                reference="b",
            )


def _worker(
    app_url: str,
    job: str,
    orgs: list[uuid.UUID],
    indices: list[int],
    clients: int,
    ready: Any,
    go: Any,
    out: Any,
    mixed: tuple[list[Operation], list[list[uuid.UUID]]] | None = None,
) -> None:
    """One client process: `clients` concurrent coroutines working through `indices`."""

    async def run() -> None:
        db = Database(app_url, pool_size=clients)
        retried = dict.fromkeys(RETRYABLE.values(), 0)

        def count_retryable(context: Any) -> None:
            # Every driver error, including those the ledger retries in a SAVEPOINT.
            kind = RETRYABLE.get(getattr(context.original_exception, "sqlstate", None) or "")
            if kind is not None:
                retried[kind] += 1

        event.listen(db.engine.sync_engine, "handle_error", count_retryable)
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
                    if mixed is not None:
                        await _mixed_one(db, job, i, mixed[0][i], orgs, mixed[1])
                        continue
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
        out.put((time.monotonic(), refused, retried))
        await db.dispose()

    asyncio.run(run())


def _measure(
    app_url: str,
    job: str,
    orgs: list[uuid.UUID],
    count: int,
    mixed: tuple[list[Operation], list[list[uuid.UUID]]] | None = None,
) -> tuple[float, int, dict[str, int]]:
    """Operations per second over PROCESSES processes sharing CLIENTS clients; refusals
    (insufficient credits); deadlocks and serialisation failures the drivers saw."""
    ctx = multiprocessing.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    workers, events = [], []
    for n in range(PROCESSES):
        ready = ctx.Event()
        indices = list(range(n, count, PROCESSES))
        proc = ctx.Process(
            target=_worker,
            args=(app_url, job, orgs, indices, CLIENTS // PROCESSES, ready, go, out, mixed),
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
    end = max(finished for finished, _, _ in results)
    retried = {kind: sum(r[kind] for _, _, r in results) for kind in RETRYABLE.values()}
    return count / (end - start), sum(refused for _, refused, _ in results), retried


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
    books = create_engine(owner.replace("postgresql://", "postgresql+psycopg://"))
    try:
        # The one wallet holds 20 credits fewer than the spends asked: exactly 20 are refused.
        one_wallet = await _organisations(db, 1, SPENDS - 20)
        many = await _organisations(db, 100, SPENDS // 100)
        mixed_orgs = await _organisations(db, MIXED_ORGANISATIONS, 300)
        members = _members(books, mixed_orgs)
        plan = _mixed_plan()
        baseline, _, _ = _measure(app_url, "baseline", [], SPENDS)
        single_rate, single_refused, single_retried = _measure(app_url, "one", one_wallet, SPENDS)
        spread_rate, spread_refused, spread_retried = _measure(app_url, "many", many, SPENDS)
        deadlocks_before = _deadlocks(books)
        mixed_rate, mixed_refused, mixed_retried = _measure(
            app_url, "mixed", mixed_orgs, MIXED_OPERATIONS, (plan, members)
        )
        await asyncio.sleep(1.5)  # the backends' statistics reach pg_stat_database within a second
        deadlocks = _deadlocks(books) - deadlocks_before
        checks = _check_books(books)
    finally:
        await db.dispose()
        books.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    result = {
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
        "mixed_operations": MIXED_OPERATIONS,
        "mixed_wallets": MIXED_ORGANISATIONS * (MEMBERS + 1),
        "mixed_operations_per_s": round(mixed_rate),
        "mixed_ratio_to_baseline": round(mixed_rate / baseline, 3),
        "mixed_operations_by_kind": {
            what: sum(1 for op in plan if op[0] == what)
            for what in ("transfer", "reclaim", "admin_spend", "member_spend")
        },
        "mixed_refused_insufficient_credits": mixed_refused,
        "deadlocks_seen_by_clients (one, many, mixed)": [
            r["deadlocks"] for r in (single_retried, spread_retried, mixed_retried)
        ],
        "serialization_failures_seen_by_clients (one, many, mixed)": [
            r["serialization_failures"] for r in (single_retried, spread_retried, mixed_retried)
        ],
        "deadlocks_counted_by_postgresql_during_mixed": deadlocks,
        **checks,
    }
    retried = (single_retried, spread_retried, mixed_retried)
    failures = [
        name
        for name, ok in [
            ("deadlock", deadlocks == 0 and all(r["deadlocks"] == 0 for r in retried)),
            ("unbalanced transaction", checks["unbalanced_transactions"] == 0),
            ("books do not sum to zero", checks["sum_of_all_entries"] == 0),
            ("balances do not sum to zero", checks["sum_of_all_balances"] == 0),
            ("balance differs from its entries", checks["balances_differing_from_entries"] == 0),
            ("wallet below zero", checks["negative_wallets"] == 0),
            ("one wallet refusals", single_refused == 20),
            ("100 wallets refusals", spread_refused == 0),
        ]
        if not ok
    ]
    if failures:
        raise SystemExit(f"ledger benchmark failed: {failures}\n{json.dumps(result, indent=2)}")
    return result


def _members(books: Any, orgs: list[uuid.UUID]) -> list[list[uuid.UUID]]:
    """MEMBERS collaborators per organisation (written as the owner: set-up, not measured)."""
    members: list[list[uuid.UUID]] = []
    with books.begin() as conn:
        for org in orgs:
            ids = []
            for _ in range(MEMBERS):
                user, membership = uuid.uuid4(), uuid.uuid4()
                conn.execute(
                    insert(User).values(id=user, email=f"{user}@bench.example", full_name="bench")
                )
                conn.execute(
                    insert(Membership).values(
                        id=membership,
                        organisation_id=org,
                        user_id=user,
                        role=Role.COLLABORATOR,
                        status=MembershipStatus.ACTIVE,
                    )
                )
                ids.append(membership)
            members.append(ids)
    return members


def _mixed_plan() -> list[Operation]:
    """The same seeded mix every run: a quarter each of transfers, reclaims, admin spends
    and member spends, of 1 to 3 credits, over every organisation's wallets."""
    rng = random.Random(21)
    kinds = ("transfer", "reclaim", "admin_spend", "member_spend")
    return [
        (
            rng.choice(kinds),
            rng.randrange(MIXED_ORGANISATIONS),
            rng.randrange(MEMBERS),
            rng.randint(1, 3),
        )
        for _ in range(MIXED_OPERATIONS)
    ]


def _deadlocks(books: Any) -> int:
    with books.connect() as conn:
        return int(
            conn.execute(
                text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            ).scalar_one()
        )


def _check_books(books: Any) -> dict[str, int]:
    """The whole ledger of the run, read as the owner (no row-level security)."""
    queries = {
        "unbalanced_transactions": "SELECT count(*) FROM (SELECT transaction_id FROM "
        "ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0) AS u",
        "sum_of_all_entries": "SELECT coalesce(sum(amount), 0) FROM ledger_entries",
        "sum_of_all_balances": "SELECT coalesce(sum(balance), 0) FROM ledger_accounts",
        "balances_differing_from_entries": "SELECT count(*) FROM ledger_accounts a WHERE "
        "a.balance <> (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e "
        "WHERE e.account_id = a.id)",
        "negative_wallets": "SELECT count(*) FROM ledger_accounts "
        "WHERE balance < 0 AND kind LIKE '%WALLET'",
        "transactions": "SELECT count(*) FROM ledger_transactions",
    }
    with books.connect() as conn:
        return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
