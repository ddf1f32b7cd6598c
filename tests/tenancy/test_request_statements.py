# ruff: noqa: E501  (GraphQL operations kept on one line)
"""What a logged-in request costs the database, and that the cheaper path refuses what it must.

The session, the actor and the tenant settings are resolved in one statement
(`probant_request_scope`, migration 0950) on every request, without a cache: a session revoked,
expired or idle, a member removed, a user or an organisation deleted, is refused on the very
next request. The archive and the members pages run the same statements for 2 rows as for 6.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from tests.evidence.rows import add_sealed_deposit
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation

from probant_platform.db import Database, TenantScope, utcnow

# The admin app's pages, as it sends them (admin-ui/src/deposits/ArchivePage.tsx and
# admin-ui/src/members/MembersPage.tsx).
ARCHIVE = "query Archive($filter: DepositFilter, $first: Int, $after: String) { deposits(filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id reference title status kind createdAt sealedAt address { city } items { id } } } } }"
MEMBERS = "query Members { creditBalance subscription { seats planName } organisation { id members(first: 100) { edges { node { id email fullName role status joinedAt creditBalance } } } } }"


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def _own(statements: list[str]) -> list[str]:
    """The request's statements, without the test harness's SAVEPOINT and its settings."""
    harness = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config(")
    return [s for s in statements if not s.startswith(harness)]


async def _sealed_deposits(database: Database, owner: MemberInfo, count: int) -> None:
    now = utcnow()
    org = owner.organisation_id
    async with database.unit_of_work(TenantScope(organisation_id=org)) as s:
        for n in range(count):
            await add_sealed_deposit(
                s,
                organisation_id=org,
                membership_id=owner.membership_id,
                reference_prefix="PRB-S",
                title=f"Dépôt {n}",
                created_at=now - timedelta(minutes=n),
                city="Lyon",
            )


async def test_a_logged_in_request_finds_session_actor_and_tenant_in_one_statement(
    database: Database, client: httpx.AsyncClient, app_engine: AsyncEngine
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, "{ creditBalance }")  # warm the authorisation cache

    with counting(app_engine) as statements:
        data = await gql(client, "{ creditBalance }")

    assert data["creditBalance"] == 0
    scope = [s for s in statements if "probant_request_scope" in s]
    assert len(scope) == 1, "\n".join(statements)
    lookups = [
        s
        for s in statements
        if any(t in s for t in ("user_sessions", "FROM memberships", "FROM organisations"))
    ]
    assert lookups == [], "\n".join(statements)
    # the scope and the balance: nothing else but the test's SAVEPOINT and its settings
    assert len(_own(statements)) == 2, "\n".join(statements)


async def test_the_archive_page_costs_the_same_statements_for_2_or_6_deposits(
    database: Database, client: httpx.AsyncClient, app_engine: AsyncEngine
) -> None:
    owner = await make_organisation(database)
    await _sealed_deposits(database, owner, 2)
    await log_in(client, owner)
    await gql(client, ARCHIVE, {"first": 20})

    with counting(app_engine) as small:
        two = await gql(client, ARCHIVE, {"first": 20})
    await _sealed_deposits(database, owner, 4)
    with counting(app_engine) as large:
        six = await gql(client, ARCHIVE, {"first": 20})

    assert len(two["deposits"]["edges"]) == 2
    assert len(six["deposits"]["edges"]) == 6
    assert {len(e["node"]["items"]) for e in six["deposits"]["edges"]} == {2}
    assert {e["node"]["address"]["city"] for e in six["deposits"]["edges"]} == {"Lyon"}
    assert len(large) == len(small), "\n".join(large)
    assert len(_own(large)) == 3, "\n".join(large)  # scope, deposits, items


async def test_the_members_page_costs_the_same_statements_for_2_or_6_members(
    database: Database, client: httpx.AsyncClient, app_engine: AsyncEngine
) -> None:
    owner = await make_organisation(database)
    await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, owner)
    await gql(client, MEMBERS)

    with counting(app_engine) as small:
        two = await gql(client, MEMBERS)
    for role in (Role.CLIENT, Role.ADMIN, Role.COLLABORATOR, Role.CLIENT):
        await add_member(database, owner, role=role)
    await gql(client, MEMBERS)  # new members move the policy version: rules are reloaded once
    with counting(app_engine) as large:
        six = await gql(client, MEMBERS)

    assert len(two["organisation"]["members"]["edges"]) == 2
    members = six["organisation"]["members"]["edges"]
    assert len(members) == 6
    assert {m["node"]["status"] for m in members} == {"ACTIVE"}
    assert len(large) == len(small), "\n".join(large)


# Each change made behind the server's back (another process, an operator, a database
# function) must be seen by the next request: nothing about the session is cached.
REFUSALS = {
    "session revoked": "UPDATE user_sessions SET revoked_at = now() WHERE user_id = :u",
    "session expired": "UPDATE user_sessions SET expires_at = now() - interval '1 second' WHERE user_id = :u",
    "session idle for two days": "UPDATE user_sessions SET last_seen_at = now() - interval '2 days 1 second' WHERE user_id = :u",
    "member removed": "UPDATE memberships SET status = 'REMOVED' WHERE id = :m",
    "user deleted": "UPDATE users SET deleted_at = now() WHERE id = :u",
    "organisation deleted": "UPDATE organisations SET deleted_at = now() WHERE id = :o",
}


@pytest.mark.parametrize("change", list(REFUSALS))
async def test_the_next_request_refuses_a_session_that_is_no_longer_valid(
    change: str, database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, colleague)
    assert (await gql(client, "{ viewer { role } }"))["viewer"]["role"] == "COLLABORATOR"

    async with database.unit_of_work(
        TenantScope(organisation_id=owner.organisation_id, user_id=colleague.user_id)
    ) as s:
        await s.execute(
            text(REFUSALS[change]),
            {"u": colleague.user_id, "m": colleague.membership_id, "o": owner.organisation_id},
        )

    assert (await gql(client, "{ viewer { role } }"))["viewer"] is None
    refused = (await client.post("/graphql", json={"query": "{ creditBalance }"})).json()
    assert refused["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    # and the anonymous request that follows sees no tenant's rows
    assert (await gql(client, "{ apiVersion }"))["apiVersion"]


async def test_a_session_seen_after_five_minutes_is_touched_and_stays_valid(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    async with database.unit_of_work(TenantScope(user_id=owner.user_id)) as s:
        await s.execute(
            text(
                "UPDATE user_sessions SET last_seen_at = now() - interval '1 day' WHERE user_id = :u"
            ),
            {"u": owner.user_id},
        )

    assert (await gql(client, "{ viewer { role } }"))["viewer"]["role"] == "OWNER"

    async with database.unit_of_work(TenantScope(user_id=owner.user_id)) as s:
        age = (
            await s.execute(
                text("SELECT now() - max(last_seen_at) FROM user_sessions WHERE user_id = :u"),
                {"u": owner.user_id},
            )
        ).scalar_one()
    assert age < timedelta(minutes=1)


async def test_a_forged_or_oversized_cookie_is_anonymous(client: httpx.AsyncClient) -> None:
    for cookie in ("x" * 129, "not-a-session", "' OR 1=1 --"):
        client.cookies.set("probant_session", cookie)
        assert (await gql(client, "{ viewer { role } }"))["viewer"] is None
