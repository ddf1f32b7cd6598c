"""Concurrent transfers, reclaims and spends on one member never deadlock (issue 12, item 8).

Before the fix, a transfer (organisation → member) and a reclaim (member → organisation)
locked the same two wallets in opposite orders: 100 at once gave dozens of DeadlockDetected.
"""

from __future__ import annotations

import asyncio
import random
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from tests.factories import Role, add_member, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services
from probant_platform.ledger.errors import InsufficientCredits
from probant_platform.ledger.models import AccountKind, LedgerAccount, LedgerEntry

OPERATIONS = 100


async def _deadlocks(database: Database) -> int:
    async with database.engine.connect() as conn:
        await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        found = await conn.execute(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )
        return int(found.scalar_one())


async def test_mixed_concurrent_ledger_writes_never_deadlock(
    committed_database: Database,
) -> None:
    # Given an organisation with 500 credits and two members holding 50 each
    db = committed_database
    owner = await make_organisation(db)
    org = owner.organisation_id
    members = [await add_member(db, owner, role=Role.COLLABORATOR) for _ in range(2)]
    await fund(db, org, 500)
    for member in members:
        await fund(db, org, 50, member.membership_id)
    deadlocks_before = await _deadlocks(db)
    rng = random.Random(12)
    plan = [
        (rng.choice(["transfer", "reclaim", "spend", "admin_spend"]), i) for i in range(OPERATIONS)
    ]

    async def one(operation: str, index: int) -> str:
        member = members[index % len(members)]
        key = f"stress-{index}-{uuid.uuid4().hex[:8]}"
        try:
            async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
                if operation in ("transfer", "reclaim"):
                    await services.transfer(
                        session=s,
                        organisation_id=org,
                        membership_id=member.membership_id,
                        credits=2,
                        idempotency_key=key,
                        reclaim=operation == "reclaim",
                    )
                else:
                    admin = operation == "admin_spend"
                    await services.spend(
                        session=s,
                        organisation_id=org,
                        membership_id=owner.membership_id if admin else member.membership_id,
                        role_is_admin=admin,
                        credits=1,
                        idempotency_key=key,
                        reference=key,
                    )
        except InsufficientCredits:
            return "refused"
        except DBAPIError as exc:
            return type(exc.orig).__name__
        return "ok"

    # When 100 of them run at once
    results = await asyncio.gather(*(one(operation, i) for operation, i in plan))

    # Then none fails on a deadlock, and the books still balance
    assert {r for r in results} <= {"ok", "refused"}, results
    async with db.unit_of_work(TenantScope(organisation_id=org)) as s:
        accounts = (
            (await s.execute(select(LedgerAccount).where(LedgerAccount.organisation_id == org)))
            .scalars()
            .all()
        )
        for account in accounts:
            entries = await s.execute(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.account_id == account.id
                )
            )
            assert account.balance == entries.scalar_one(), account.kind
        total = await s.execute(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.organisation_id == org)
        )
        assert total.scalar_one() == 0
    balances = {(a.kind, a.membership_id): a.balance for a in accounts}
    assert balances[(AccountKind.ISSUANCE, None)] == -600
    wallets = sum(b for (kind, _), b in balances.items() if "WALLET" in kind.value)
    assert wallets + balances[(AccountKind.CONSUMPTION, None)] == 600
    assert all(b >= 0 for (kind, _), b in balances.items() if "WALLET" in kind.value)
    # Retries hide nothing: PostgreSQL itself counted no deadlock in this database.
    await db.dispose()
    assert await _deadlocks(db) == deadlocks_before
