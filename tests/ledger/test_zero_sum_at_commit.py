"""The database itself refuses, at COMMIT, a ledger transaction whose entries do not sum to zero.

These tests commit for real (`committed_database`): the zero-sum trigger is DEFERRED, so a test
inside the rolled-back SAVEPOINT of `database` would never reach it. The application role may
not write the ledger tables at all (migration 0990, `tests/security/test_ledger_write_lock.py`),
so the hand-written legs here are the owner's: the trigger guards even maintenance.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.factories import make_organisation
from tests.ledger_helpers import fund
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, RAISE_EXCEPTION, refused

from probant_platform.db import Database, TenantScope
from probant_platform.db.migrate import sync_url
from probant_platform.ledger import services


async def _wallet(session: AsyncSession, org: uuid.UUID) -> tuple[uuid.UUID, int]:
    row = (
        await session.execute(
            text(
                "SELECT id, balance FROM ledger_accounts "
                "WHERE organisation_id = :o AND kind = 'ORGANISATION_WALLET'"
            ),
            {"o": org},
        )
    ).one()
    return row.id, row.balance


async def _new_transaction(session: AsyncSession, org: uuid.UUID) -> uuid.UUID:
    transaction_id = uuid.uuid4()
    await session.execute(
        text(
            "INSERT INTO ledger_transactions (id, organisation_id, kind, idempotency_key, credits,"
            " created_at) VALUES (:id, :o, 'ADJUSTMENT', :k, 5, now())"
        ),
        {"id": transaction_id, "o": org, "k": f"raw-{secrets.token_hex(6)}"},
    )
    return transaction_id


async def _entry(
    session: AsyncSession,
    org: uuid.UUID,
    transaction_id: uuid.UUID,
    account: uuid.UUID,
    amount: int,
) -> None:
    await session.execute(
        text(
            "INSERT INTO ledger_entries (organisation_id, transaction_id, account_id, amount,"
            " balance_after, created_at) VALUES (:o, :t, :a, :amount, 0, now())"
        ),
        {"o": org, "t": transaction_id, "a": account, "amount": amount},
    )


async def _system_account(session: AsyncSession, org: uuid.UUID) -> uuid.UUID:
    return (
        await session.execute(
            text("SELECT id FROM ledger_accounts WHERE organisation_id = :o AND kind = 'ISSUANCE'"),
            {"o": org},
        )
    ).scalar_one()


async def _books(database: Database, org: uuid.UUID) -> dict[str, Any]:
    """What a reader of the ledger sees: wallet balance, transactions and entries."""
    async with database.unit_of_work(TenantScope(organisation_id=org)) as s:
        counts = (
            await s.execute(
                text(
                    "SELECT (SELECT count(*) FROM ledger_transactions) AS transactions,"
                    " (SELECT count(*) FROM ledger_entries) AS entries,"
                    " (SELECT coalesce(sum(amount), 0) FROM ledger_entries) AS total"
                )
            )
        ).one()
        return {
            "balance": await services.balance(session=s, organisation_id=org),
            "transactions": counts.transactions,
            "entries": counts.entries,
            "total": counts.total,
        }


async def _funded(committed_database: Database) -> uuid.UUID:
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, 7)
    return owner.organisation_id


@pytest.fixture
async def owner_database(owner_url: str) -> AsyncIterator[Database]:
    """The owner's connection (maintenance): the only one allowed to write ledger rows by hand."""
    db = Database(owner_url, pool_size=2)
    yield db
    await db.dispose()


async def _assert_refused_at_commit(
    database: Database, owner_database: Database, org: uuid.UUID, write: Any
) -> None:
    """`write`, run by the owner, is accepted statement by statement, then its COMMIT is
    refused, and the books are as they were."""
    before = await _books(database, org)
    reached_commit = False
    with refused(RAISE_EXCEPTION, match="does not sum to zero"):
        async with owner_database.unit_of_work(TenantScope(organisation_id=org)) as s:
            await write(s)
            await s.flush()
            reached_commit = True  # every statement was accepted; only COMMIT is left
    assert reached_commit, "refused before COMMIT: the statement-level checks changed"
    assert await _books(database, org) == before


async def test_a_one_sided_entry_is_refused_at_commit(
    committed_database: Database, owner_database: Database
) -> None:
    org = await _funded(committed_database)

    async def one_sided(s: AsyncSession) -> None:
        wallet, _ = await _wallet(s, org)
        await _entry(s, org, await _new_transaction(s, org), wallet, 5)

    await _assert_refused_at_commit(committed_database, owner_database, org, one_sided)


async def test_legs_that_do_not_sum_to_zero_are_refused_at_commit(
    committed_database: Database, owner_database: Database
) -> None:
    org = await _funded(committed_database)

    async def lopsided(s: AsyncSession) -> None:
        wallet, _ = await _wallet(s, org)
        transaction_id = await _new_transaction(s, org)
        await _entry(s, org, transaction_id, wallet, 5)
        await _entry(s, org, transaction_id, await _system_account(s, org), -3)

    await _assert_refused_at_commit(committed_database, owner_database, org, lopsided)


async def test_a_leg_added_to_a_committed_transaction_is_refused_at_commit(
    committed_database: Database, owner_database: Database
) -> None:
    org = await _funded(committed_database)

    async def extra_leg(s: AsyncSession) -> None:
        wallet, _ = await _wallet(s, org)
        existing = (
            await s.execute(text("SELECT transaction_id FROM ledger_entries LIMIT 1"))
        ).scalar_one()
        await _entry(s, org, existing, wallet, 1)

    await _assert_refused_at_commit(committed_database, owner_database, org, extra_leg)


async def test_balanced_raw_legs_commit(
    committed_database: Database, owner_database: Database
) -> None:
    """The control: the same raw writes, balanced, are accepted (the refusals above are
    about the sum, not about writing entries by hand)."""
    org = await _funded(committed_database)
    before = await _books(committed_database, org)

    async with owner_database.unit_of_work(TenantScope(organisation_id=org)) as s:
        wallet, _ = await _wallet(s, org)
        transaction_id = await _new_transaction(s, org)
        await _entry(s, org, transaction_id, wallet, 5)
        await _entry(s, org, transaction_id, await _system_account(s, org), -5)

    after = await _books(committed_database, org)
    assert (after["transactions"], after["entries"], after["total"]) == (
        before["transactions"] + 1,
        before["entries"] + 2,
        0,
    )


@pytest.mark.parametrize(
    "statement", ["DELETE FROM ledger_entries", "UPDATE ledger_entries SET amount = 0"]
)
async def test_the_app_role_cannot_delete_or_rewrite_a_leg(
    committed_database: Database, statement: str
) -> None:
    org = await _funded(committed_database)
    before = await _books(committed_database, org)

    with refused(INSUFFICIENT_PRIVILEGE):
        async with committed_database.unit_of_work(TenantScope(organisation_id=org)) as s:
            await s.execute(text(f"{statement} WHERE id = (SELECT min(id) FROM ledger_entries)"))

    assert await _books(committed_database, org) == before


@pytest.mark.parametrize("table", ["ledger_entries", "ledger_transactions"])
async def test_even_the_owner_cannot_delete_ledger_history(
    committed_database: Database, owner_url: str, table: str
) -> None:
    org = await _funded(committed_database)
    before = await _books(committed_database, org)
    engine = create_engine(sync_url(owner_url))
    try:
        with refused(INSUFFICIENT_PRIVILEGE, match="is append-only"), engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE organisation_id = :o"), {"o": org})
    finally:
        engine.dispose()

    assert await _books(committed_database, org) == before
