"""The database refuses a submission the tenant did not pay for, and any rewrite of a
submission but its office's review (migration 0970), even to the application role acting
with the tenant's or the office's settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from tests.bailiffs.helpers import Office, make_office, sealed_deposit, submit
from tests.factories import MemberInfo, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.bailiffs.submissions import spend_key
from probant_platform.db import Database, TenantScope
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import AccountKind

INSUFFICIENT_PRIVILEGE = "42501"
BALANCE = "{ creditBalance }"


@dataclass(frozen=True)
class Sealed:
    owner: MemberInfo
    office: Office
    deposit: uuid.UUID
    node: str
    reference: str

    @property
    def scope(self) -> TenantScope:
        return TenantScope(organisation_id=self.owner.organisation_id, user_id=self.owner.user_id)

    @property
    def as_office(self) -> TenantScope:
        return TenantScope(organisation_id=self.office.office_id, office_id=self.office.office_id)


@pytest.fixture
async def sealed(database: Database, client: httpx.AsyncClient) -> Sealed:
    """A sealed deposit with 2 credits left in the wallet, and an office that would take it."""
    office = await make_office(database)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    await log_in(client, owner)
    deposit = await sealed_deposit(client)
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        row = (
            await s.execute(
                text("SELECT id FROM deposits WHERE reference = :r"),
                {"r": deposit["reference"]},
            )
        ).one()
        await _at_commit(s)  # the seal's own checks, done: each test's checks then run alone
    return Sealed(owner, office, row.id, deposit["id"], deposit["reference"])


async def _at_commit(session: AsyncSession) -> None:
    """Run now the checks PostgreSQL defers to COMMIT (the test's units of work are
    SAVEPOINTs of a transaction rolled back at the end, which never commits)."""
    await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    await session.execute(text("SET CONSTRAINTS ALL DEFERRED"))


def _assert_refused(caught: pytest.ExceptionInfo[DBAPIError], message: str) -> None:
    assert getattr(caught.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE, caught.value
    assert message in str(caught.value.orig), caught.value


async def _refused(
    database: Database, scope: TenantScope, sql: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(DBAPIError) as caught:
        async with database.unit_of_work(scope) as session:
            await session.execute(text(sql), params)
            await _at_commit(session)
    _assert_refused(caught, message)


async def _run(database: Database, scope: TenantScope, sql: str, params: dict[str, Any]) -> int:
    async with database.unit_of_work(scope) as session:
        count: int = (await session.execute(text(sql), params)).rowcount  # type: ignore[attr-defined]
        await _at_commit(session)
        return count


FORGED_ROW = {
    "id": "gen_random_uuid()",
    "organisation_id": ":org",
    "deposit_id": ":deposit",
    "office_id": ":office",
    "submitted_by_membership_id": ":member",
    "requester_name": "'Forged'",
    "author_name": "'Forged'",
    "status": "'SUBMITTED'",
    "credits_spent": ":credits",
    "submitted_at": "now()",
    "due_at": "now() + interval '24 hours'",
    "rejected_item_ids": "'[]'",
}


def _insert(**values: str) -> str:
    row = {**FORGED_ROW, **values}
    return f"INSERT INTO submissions ({', '.join(row)}) VALUES ({', '.join(row.values())})"


INSERT = _insert()
SEND = "UPDATE deposits SET status = 'SUBMITTED' WHERE id = :deposit"


def _forged(sealed: Sealed, credits: int = 1) -> dict[str, Any]:
    return {
        "org": sealed.owner.organisation_id,
        "deposit": sealed.deposit,
        "office": sealed.office.office_id,
        "member": sealed.owner.membership_id,
        "credits": credits,
    }


async def _state(database: Database, sealed: Sealed) -> tuple[str, int, int]:
    """The deposit's status, how many submissions it has, and the wallet's balance."""
    async with database.unit_of_work(sealed.scope) as session:
        row = (
            await session.execute(
                text(
                    "SELECT d.status, (SELECT count(*) FROM submissions s "
                    "WHERE s.deposit_id = d.id) AS sent FROM deposits d WHERE d.id = :d"
                ),
                {"d": sealed.deposit},
            )
        ).one()
        credits = await ledger.balance(
            session=session, organisation_id=sealed.owner.organisation_id
        )
    return str(row.status), int(row.sent), credits


async def test_a_tenant_cannot_write_its_own_submission_without_paying(
    database: Database, sealed: Sealed
) -> None:
    params = _forged(sealed)
    # The submission alone, and with the deposit shown as sent: nothing was spent.
    for statements in ([INSERT], [INSERT, SEND], [SEND, INSERT]):
        with pytest.raises(DBAPIError) as caught:
            async with database.unit_of_work(sealed.scope) as session:
                for sql in statements:
                    await session.execute(text(sql), params)
                await _at_commit(session)
        _assert_refused(caught, "is not paid: a submission is created only with its spend")
    # Free of charge (0 credits) is no way around it either.
    await _refused(database, sealed.scope, INSERT, _forged(sealed, credits=0), "is not paid")
    assert await _state(database, sealed) == ("SEALED", 0, 2)


async def test_a_spend_for_something_else_or_of_another_amount_does_not_pay(
    database: Database, sealed: Sealed
) -> None:
    for key, credits in (("something-else", 1), (spend_key(sealed.deposit), 2)):
        with pytest.raises(DBAPIError) as caught:
            async with database.unit_of_work(sealed.scope) as session:
                await ledger.spend(
                    session=session,
                    organisation_id=sealed.owner.organisation_id,
                    membership_id=sealed.owner.membership_id,
                    role_is_admin=True,
                    credits=credits,
                    idempotency_key=key,
                    reference=sealed.reference,
                )
                await session.execute(text(INSERT), _forged(sealed, credits=1))
                await session.execute(text(SEND), _forged(sealed))
                await _at_commit(session)
        _assert_refused(caught, "is not paid")
    assert await _state(database, sealed) == ("SEALED", 0, 2)


async def test_a_spend_forged_by_hand_cannot_pay(database: Database, sealed: Sealed) -> None:
    # A spend dated before this transaction began (as a committed one would be), written
    # by hand with its balanced entries, to pay for a submission written now. The app role
    # may not write ledger rows at all (0990): the forgery itself is refused. (The guard would
    # also refuse a spend of an earlier transaction; only the owner could write one.)
    forge_spend = """
    WITH t AS (
      INSERT INTO ledger_transactions (id, organisation_id, kind, idempotency_key, credits,
        reference, reason, created_at)
      VALUES (gen_random_uuid(), :org, 'SPEND', :key, 1, '', '', now() - interval '1 day')
      RETURNING id)
    INSERT INTO ledger_entries (organisation_id, transaction_id, account_id, amount,
      balance_after, created_at)
    SELECT :org, t.id, a.id, CASE a.kind WHEN 'CONSUMPTION' THEN 1 ELSE -1 END, 0, now()
      FROM t, ledger_accounts a
     WHERE a.organisation_id = :org AND a.kind IN ('CONSUMPTION', 'ORGANISATION_WALLET')
       AND a.membership_id IS NULL"""
    with pytest.raises(DBAPIError) as caught:
        async with database.unit_of_work(sealed.scope) as session:
            await ledger.account(
                session=session,
                organisation_id=sealed.owner.organisation_id,
                kind=AccountKind.CONSUMPTION,
            )
            params = {**_forged(sealed), "key": spend_key(sealed.deposit)}
            await session.execute(text(forge_spend), params)
            await session.execute(text(INSERT), params)
            await session.execute(text(SEND), params)
            await _at_commit(session)
    _assert_refused(caught, "permission denied for table ledger_")
    assert await _state(database, sealed) == ("SEALED", 0, 2)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", "'ACCEPTED'"),
        ("claimed_by_name", "'Maître Complaisant'"),
        ("decided_at", "now()"),
        ("decided_by_name", "'Maître Complaisant'"),
        ("reason", "'UNUSABLE_BLURRED'"),
        ("comment", "'parfait'"),
        ("rejected_item_ids", "'[\"x\"]'"),
        ("refunded", "true"),
    ],
)
async def test_a_new_submission_starts_unreviewed(
    database: Database, sealed: Sealed, column: str, value: str
) -> None:
    sql = _insert(**{column: value})
    await _refused(database, sealed.scope, sql, _forged(sealed), "starts unreviewed")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("submitted_at", "now() - interval '2 days'"),
        ("submitted_at", "now() + interval '1 day'"),
        ("due_at", "now() - interval '1 hour'"),
        ("due_at", "now() + interval '10 minutes'"),
        ("due_at", "now() + interval '31 days'"),
    ],
)
async def test_a_new_submission_is_dated_now_and_due_within_the_review_window(
    database: Database, sealed: Sealed, column: str, value: str
) -> None:
    # Backdated, post-dated, or jumping the office's queue (ordered by due date): refused.
    sql = _insert(**{column: value})
    await _refused(database, sealed.scope, sql, _forged(sealed), "dated when it is made")
    assert await _state(database, sealed) == ("SEALED", 0, 2)


# One change per column; a column added later without an entry here fails the test below.
CHANGES = {
    "id": "gen_random_uuid()",
    "organisation_id": "gen_random_uuid()",
    "deposit_id": "gen_random_uuid()",
    "office_id": "gen_random_uuid()",
    "submitted_by_membership_id": "gen_random_uuid()",
    "submitted_by_user_id": "gen_random_uuid()",
    "requester_name": "'Quelqu''un d''autre'",
    "author_name": "'Quelqu''un d''autre'",
    "status": "'ACCEPTED'",
    "credits_spent": "0",
    "submitted_at": "submitted_at - interval '1 day'",
    "due_at": "due_at + interval '30 days'",
    "claimed_by_user_id": "gen_random_uuid()",
    "claimed_by_name": "'Maître Complaisant'",
    "claimed_at": "now()",
    "decided_at": "now()",
    "decided_by_user_id": "gen_random_uuid()",
    "decided_by_name": "'Maître Complaisant'",
    "reason": "'UNUSABLE_BLURRED'",
    "comment": "'réécrit'",
    "rejected_item_ids": "'[\"x\"]'",
    "refunded": "true",
}
PARTIES = {"organisation_id", "office_id"}
# What an office's review writes; `status` moves with the deposit (0940), `refunded` with
# its refund (both tested below).
REVIEW = {
    "claimed_by_user_id",
    "claimed_by_name",
    "claimed_at",
    "decided_at",
    "decided_by_user_id",
    "decided_by_name",
    "reason",
    "comment",
    "rejected_item_ids",
}


async def _sent(database: Database, client: httpx.AsyncClient, sealed: Sealed) -> uuid.UUID:
    """The real submission (paid), which passes the commit-time checks."""
    assert (await submit(client, sealed.node, sealed.office.node_id))[
        "__typename"
    ] == "SubmissionPayload"
    async with database.unit_of_work(sealed.scope) as session:
        await _at_commit(session)
        found = await session.execute(
            text("SELECT id FROM submissions WHERE deposit_id = :d"), {"d": sealed.deposit}
        )
        return uuid.UUID(str(found.scalar_one()))


async def _row(database: Database, sealed: Sealed) -> dict[str, Any]:
    async with database.unit_of_work(sealed.scope) as session:
        found = await session.execute(
            text("SELECT to_jsonb(s) AS row FROM submissions s WHERE deposit_id = :d"),
            {"d": sealed.deposit},
        )
        row: dict[str, Any] = found.scalar_one()
    return row


async def test_the_paid_submission_passes_and_the_tenant_changes_nothing_of_it(
    database: Database, client: httpx.AsyncClient, sealed: Sealed
) -> None:
    async with database.unit_of_work() as session:
        columns = await session.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
            {"t": "submissions"},
        )
        assert set(columns.scalars()) == set(CHANGES)
    submission = await _sent(database, client, sealed)
    assert (await gql(client, BALANCE))["creditBalance"] == 1  # paid once
    before = await _row(database, sealed)
    for column, value in CHANGES.items():
        sql = f"UPDATE submissions SET {column} = {value} WHERE id = :s"
        expected = "parties of submissions" if column in PARTIES else "only its office reviews it"
        await _refused(database, sealed.scope, sql, {"s": submission}, expected)
    assert await _row(database, sealed) == before


async def test_the_office_changes_only_its_review(
    database: Database, client: httpx.AsyncClient, sealed: Sealed
) -> None:
    submission = await _sent(database, client, sealed)
    params = {"s": submission}
    before = await _row(database, sealed)
    for column, value in CHANGES.items():
        if column in REVIEW or column == "status":
            continue
        sql = f"UPDATE submissions SET {column} = {value} WHERE id = :s"
        if column in PARTIES:
            expected = "parties of submissions"
        elif column == "refunded":
            expected = "it is refunded once, with its refund"
        else:
            expected = "an office changes only its review"
        await _refused(database, sealed.as_office, sql, params, expected)
    assert await _row(database, sealed) == before
    # Its review columns, it may write.
    for column in sorted(REVIEW):
        sql = f"UPDATE submissions SET {column} = {CHANGES[column]} WHERE id = :s"
        assert await _run(database, sealed.as_office, sql, params) == 1, column
    after = await _row(database, sealed)
    assert after["comment"] == "réécrit"
    assert after["decided_by_name"] == "Maître Complaisant"
    assert {k: v for k, v in after.items() if k not in REVIEW} == {
        k: v for k, v in before.items() if k not in REVIEW
    }


async def test_a_submission_cannot_be_deleted(
    database: Database, client: httpx.AsyncClient, sealed: Sealed
) -> None:
    submission = await _sent(database, client, sealed)
    await _refused(
        database,
        sealed.scope,
        "DELETE FROM submissions WHERE id = :s",
        {"s": submission},
        "cannot be deleted: it stays with its deposit",
    )
    assert await _state(database, sealed) == ("SUBMITTED", 1, 1)
