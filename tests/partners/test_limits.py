"""Query cost and rate limits: a too costly query is refused before it runs; partner requests
draw on budgets per client and per organisation shared by every API process (PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from tests.factories import gql_raw, log_in, make_organisation
from tests.partners.helpers import register_client, token_for
from tests.partners.servers import probant_servers

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.app import create_app

CHEAP = "{ deposits(first: 10) { edges { node { id items { id } } } } }"
ITEM = "id sha256 size mediaType capturedAt receivedAt comment downloadUrl thumbnailUrl"
PAGE = f"edges {{ node {{ a: items {{ {ITEM} }} b: items {{ {ITEM} }} }} }}"
COSTLY = f"{{ deposits(first: 100) {{ {PAGE} }} }}"


async def test_a_costly_query_is_refused_before_it_runs(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner = await make_organisation(database)
    member = client_factory()
    await log_in(member, owner)
    assert "errors" not in await gql_raw(member, CHEAP)
    refused = await gql_raw(member, COSTLY)
    assert refused["data"] is None
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] > error["extensions"]["limit"] == 10_000
    variables = await member.post(
        "/graphql",
        json={
            "query": f"query($n: Int) {{ deposits(first: $n) {{ {PAGE} }} }}",
            "variables": {"n": 100},
        },
    )
    assert variables.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


@pytest.fixture
async def two_processes(
    app_url: str, settings: Settings, committed_database: Database
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two API apps, each with its own connection pool, as two server processes would be."""
    limited = settings.model_copy(update={"api_requests_per_minute": 5})
    clients, databases = [], []
    for _ in range(2):
        db = Database(app_url, pool_size=2)
        databases.append(db)
        app = create_app(limited, database=db, configure_logs=False)
        clients.append(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        )
    yield clients[0], clients[1]
    for c in clients:
        await c.aclose()
    for db in databases:
        await db.dispose()


async def test_partner_requests_are_limited_across_processes_with_headers(
    committed_database: Database, two_processes: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    first, second = two_processes
    owner = await make_organisation(committed_database)
    await log_in(first, owner)
    credentials = await register_client(first, ["deposits:read"])
    first.cookies.clear()
    token = await token_for(second, credentials)
    bearer = {"authorization": f"Bearer {token}"}
    answers = []
    for n in range(6):
        process = first if n % 2 == 0 else second
        answers.append(
            await process.post(
                "/graphql", json={"query": "{ viewer { organisation { id } } }"}, headers=bearer
            )
        )
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert [r.headers["ratelimit-remaining"] for r in answers] == ["4", "3", "2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.headers["ratelimit-limit"] == "5"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # A person's session is not a partner budget.
    assert (await first.post("/graphql", json={"query": "{ apiVersion }"})).status_code == 200


async def test_two_server_processes_share_one_budget_and_the_second_answers_429(
    owner_url: str, data_dir: Path, committed_database: Database, tmp_path: Path
) -> None:
    """Two `probant serve` processes on their own ports and one database: the partner's
    requests alternate between them; the sixth, on the second process, is over the limit."""
    env = {"PROBANT_API_REQUESTS_PER_MINUTE": "5"}
    with probant_servers(2, owner_url, data_dir, tmp_path / "logs", **env) as (one, two):
        # The windows are fixed minutes: a run that straddles a minute boundary (a busy
        # machine) starts over with a new organisation, whose budget is fresh.
        for _attempt in range(3):
            owner = await make_organisation(committed_database, name="Cabinet Deux Serveurs")
            async with (
                httpx.AsyncClient(base_url=one, timeout=30) as first,
                httpx.AsyncClient(base_url=two, timeout=30) as second,
            ):
                await log_in(first, owner)
                credentials = await register_client(first, ["deposits:read"])
                first.cookies.clear()
                del first.headers["x-probant-csrf"]
                token = await token_for(second, credentials)
                bearer = {"authorization": f"Bearer {token}"}
                answers = []
                started = time.time() // 60
                for n in range(6):
                    process = first if n % 2 == 0 else second
                    answers.append(
                        await process.post(
                            "/graphql",
                            json={"query": "{ viewer { organisation { name } } }"},
                            headers=bearer,
                        )
                    )
                if time.time() // 60 == started:
                    break
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert answers[4].json()["data"]["viewer"]["organisation"]["name"] == "Cabinet Deux Serveurs"
    assert [r.headers["ratelimit-remaining"] for r in answers] == ["4", "3", "2", "1", "0", "0"]
    assert {r.headers["ratelimit-limit"] for r in answers} == {"5"}
    refused = answers[-1]
    assert str(refused.url).startswith(two)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert 0 <= int(refused.headers["ratelimit-reset"]) <= 60
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
