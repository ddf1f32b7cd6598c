"""No empty drafts: startCapture announces the deposit, the first item creates it; a draft
emptied again, and sessions that never got an item, go once their sessions have ended."""

from __future__ import annotations

import time
from typing import Any

import httpx
from sqlalchemy import func, select
from tests.evidence.capture_flow import capture_one, fill, stage, start
from tests.factories import gql, log_in, make_organisation

from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.evidence.models import CaptureSession, EvidenceItem
from probant_platform.jobs import job_app

ARCHIVE = "{ deposits { edges { node { id reference status } } } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Deposit { reference status items { id } } } }"
DELETE_ITEM = "mutation($i: ID!) { deleteItem(itemId: $i) { __typename } }"
DAY = 24 * 3600


async def _references(client: httpx.AsyncClient) -> set[str]:
    edges = (await gql(client, ARCHIVE))["deposits"]["edges"]
    return {e["node"]["reference"] for e in edges}


async def _sessions(database: Database, organisation_id: object) -> int:
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:  # type: ignore[arg-type]
        count = await session.execute(select(func.count()).select_from(CaptureSession))
        return int(count.scalar_one())


async def test_a_capture_without_items_creates_no_deposit(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    started = await start(client)
    announced = started["captureSession"]["deposit"]
    assert announced["reference"].startswith("PRB-")
    assert await _references(client) == set()
    assert (await gql(client, NODE, {"id": announced["id"]}))["node"] is None

    # The first item creates the draft with the id and reference announced at start.
    assert (
        await capture_one(client, started["captureSession"]["id"], photo_jpeg(seed=4))
    ).status_code == 201
    found = (await gql(client, NODE, {"id": announced["id"]}))["node"]
    assert found["reference"] == announced["reference"] and found["status"] == "DRAFT"
    assert len(found["items"]) == 1
    assert await _references(client) == {announced["reference"]}


async def test_two_items_staged_before_any_upload_make_one_draft(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    session = (await start(client))["captureSession"]
    for seed in (5, 6):
        assert (await stage(client, session["id"], photo_jpeg(seed=seed)))["__typename"] == (
            "StagedUpload"
        )
    edges = (await gql(client, ARCHIVE))["deposits"]["edges"]
    assert [e["node"]["id"] for e in edges] == [session["deposit"]["id"]]


async def test_the_job_deletes_emptied_drafts_and_itemless_sessions_once_expired(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await start(client)  # never given an item
    emptied = (await start(client))["captureSession"]
    staged = await stage(client, emptied["id"], photo_jpeg(seed=7))
    deleted = await gql(client, DELETE_ITEM, {"i": staged["itemId"]})
    assert deleted["deleteItem"]["__typename"] == "DeletedPayload"
    used = (await start(client))["captureSession"]
    assert (await capture_one(client, used["id"], photo_jpeg(seed=8))).status_code == 201
    job = job_app.tasks["evidence.expire_empty_drafts"].func

    await job(timestamp=int(time.time()))  # the sessions are still open: nothing goes
    while_open = await _references(client)
    sessions_open = await _sessions(database, owner.organisation_id)
    await job(timestamp=int(time.time()) + DAY)  # a day later every session has expired
    after = await _references(client)

    assert while_open == {emptied["deposit"]["reference"], used["deposit"]["reference"]}
    assert sessions_open == 3
    assert after == {used["deposit"]["reference"]}
    # The session without an item is gone; the emptied draft's went with it; the used stays.
    assert await _sessions(database, owner.organisation_id) == 1


async def test_details_sent_before_the_first_item_create_the_draft_for_its_author_only(
    database: Database, client: httpx.AsyncClient, client_factory: Any
) -> None:
    owner = await make_organisation(database)
    stranger = await make_organisation(database)
    await log_in(client, owner)
    other = client_factory()
    await log_in(other, stranger)
    announced = (await start(client))["captureSession"]["deposit"]

    refused = await fill(other, announced["id"], title="Pris")
    filled = await fill(client, announced["id"], title="Dégât des eaux")

    assert refused["__typename"] == "NotFound"
    assert filled["__typename"] == "DepositPayload", filled
    assert filled["deposit"] == {"id": announced["id"], "title": "Dégât des eaux"}
    assert await _references(client) == {announced["reference"]}
    assert await _references(other) == set()


async def test_two_first_items_sent_at_the_same_time_make_one_draft(
    committed_database: Database, settings: Any
) -> None:
    """Two browsers tabs' first items race: one draft, both items in it."""
    import asyncio

    from probant_platform.web.app import create_app

    owner = await make_organisation(committed_database)
    app: Any = create_app(settings, database=committed_database, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as one,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as two,
    ):
        await log_in(one, owner)
        two.cookies.update(one.cookies)
        two.headers["x-probant-csrf"] = one.headers["x-probant-csrf"]
        session = (await start(one))["captureSession"]
        staged = await asyncio.gather(
            stage(one, session["id"], photo_jpeg(seed=11)),
            stage(two, session["id"], photo_jpeg(seed=12)),
        )
        assert [s["__typename"] for s in staged] == ["StagedUpload", "StagedUpload"], staged
        edges = (await gql(one, ARCHIVE))["deposits"]["edges"]
    assert [e["node"]["id"] for e in edges] == [session["deposit"]["id"]]
    scope = TenantScope(organisation_id=owner.organisation_id)
    async with committed_database.unit_of_work(scope) as db:
        deposits = (await db.execute(select(EvidenceItem.deposit_id))).scalars().all()
    assert len(deposits) == 2 and len(set(deposits)) == 1
