"""Two tenants storing the same bytes share one blob; nothing one of them deletes can take
the other's evidence away, on either storage backend. Only the collector deletes blobs,
after the grace period, and only those nobody points at."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import boto3
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.bailiffs.helpers import Jobs, make_office, submit
from tests.evidence.capture_flow import capture_one, fill, seal, stage, start
from tests.factories import PASSWORD, MemberInfo, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database, utcnow
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.jobs import job_app
from probant_platform.storage import BlobStore, store_for
from probant_platform.storage.collection import BlobCollected, collect, hold, release
from probant_platform.storage.local import LocalBlobStore, key_for

PAST_GRACE = timedelta(days=2)
ZERO = timedelta(0)
ITEMS = """query($d: ID!) { node(id: $d) { ... on Deposit { exportUrl
  items { id sha256 downloadUrl thumbnailUrl } } } }"""
DELETE_DEPOSIT = """mutation($d: ID!) { deleteDeposit(depositId: $d) {
  __typename ... on DepositDeleted { tombstone } } }"""
DELETE_ITEM = """mutation($i: ID!) { deleteItem(itemId: $i) {
  __typename ... on Error { message } } }"""
DELETE_ACCOUNT = """mutation($p: String!) { deleteAccount(password: $p, deleteOrganisations: true) {
  __typename ... on Error { message } } }"""
CHECKS = """query($s: ID!) { reviewFileChecks(submissionId: $s) {
  matches expectedSha256 actualSha256 } }"""
ACCEPT = """mutation($s: ID!) { acceptDeposit(submissionId: $s) {
  __typename ... on SubmissionPayload { submission { status } } ... on Error { message } } }"""


@pytest.fixture(params=["local", "s3"])
def storage_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    if request.param == "local":
        return f"file://{tmp_path / 'media'}"
    endpoint = request.getfixturevalue("moto_endpoint")
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    bucket = f"probant-{secrets.token_hex(6)}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return f"s3://{bucket}/media?endpoint_url={endpoint}&region=us-east-1"


@dataclass
class World:
    database: Database
    store: BlobStore
    client: Callable[[], httpx.AsyncClient]
    jobs: Jobs

    async def tenant(self, credits: int = 5) -> tuple[httpx.AsyncClient, MemberInfo]:
        member = await make_organisation(self.database)
        await fund(self.database, member.organisation_id, credits)
        client = self.client()
        await log_in(client, member)
        return client, member

    async def previews(self) -> None:
        """Run the preview jobs deferred so far, as the worker would."""
        for job_id, _, args in await self.jobs.pending("evidence.make_preview"):
            self.jobs.done.add(job_id)
            await job_app.tasks["evidence.make_preview"].func(**args)

    async def collect(self, later: timedelta = PAST_GRACE) -> tuple[list[str], list[str]]:
        outcome = await collect(database=self.database, store=self.store, now=utcnow() + later)
        return outcome.removed, outcome.kept


@pytest.fixture
async def world(storage_url: str, settings: Settings, database: Database) -> AsyncIterator[World]:
    from probant_platform.web.app import create_app

    configured = settings.model_copy(update={"storage_url": storage_url})
    app = create_app(configured, database=database, configure_logs=False)
    clients: list[httpx.AsyncClient] = []

    def client() -> httpx.AsyncClient:
        made = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        clients.append(made)
        return made

    yield World(database, store_for(configured), client, await Jobs.watch(database))
    for made in clients:
        await made.aclose()


async def _get(client: httpx.AsyncClient, url: str) -> httpx.Response:
    return await client.get(url.removeprefix("http://testserver"))


@dataclass
class Sealed:
    node: str
    body: bytes
    key: str


async def _sealed(world: World, client: httpx.AsyncClient, body: bytes) -> Sealed:
    session = (await start(client))["captureSession"]
    assert (await capture_one(client, session["id"], body)).status_code == 201
    await fill(client, session["deposit"]["id"])
    assert (await seal(client, session["deposit"]["id"]))["__typename"] == "DepositPayload"
    await world.previews()
    return Sealed(session["deposit"]["id"], body, key_for(hashlib.sha256(body).hexdigest()))


async def _still_whole(world: World, client: httpx.AsyncClient, mine: Sealed) -> None:
    """What the owner of `mine` sees: the original, its preview and the export, intact."""
    assert await world.store.exists(mine.key)
    node = (await gql(client, ITEMS, {"d": mine.node}))["node"]
    item = node["items"][0]
    original = await _get(client, item["downloadUrl"])
    assert original.status_code == 200 and original.content == mine.body
    assert (await _get(client, item["thumbnailUrl"])).status_code == 200
    export = await _get(client, node["exportUrl"])
    assert export.status_code == 200, export.text
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        media = [n for n in archive.namelist() if n.startswith("media/")]
        assert [archive.read(n) for n in media] == [mine.body]


async def _a_sealed_photo_and_b(
    world: World, seed: int
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, Sealed]:
    """Tenant A with a sealed photo, and tenant B who will store the same bytes."""
    a, _ = await world.tenant()
    b, _ = await world.tenant()
    return a, b, await _sealed(world, a, photo_jpeg(seed=seed))


async def test_another_tenant_deleting_its_draft_of_the_same_bytes_takes_nothing_from_me(
    world: World,
) -> None:
    a, b, mine = await _a_sealed_photo_and_b(world, seed=71)
    office = await make_office(world.database)
    clerk = world.client()
    await log_in(clerk, office.clerk)
    draft = (await start(b))["captureSession"]
    assert (await capture_one(b, draft["id"], mine.body)).status_code == 201
    await world.previews()

    deleted = await gql(b, DELETE_DEPOSIT, {"d": draft["deposit"]["id"]})

    assert deleted["deleteDeposit"] == {"__typename": "DepositDeleted", "tombstone": False}
    await _still_whole(world, a, mine)
    submission = (await submit(a, mine.node, office.node_id))["submission"]
    checks = (await gql(clerk, CHECKS, {"s": submission["id"]}))["reviewFileChecks"]
    digest = hashlib.sha256(mine.body).hexdigest()
    assert checks == [{"matches": True, "expectedSha256": digest, "actualSha256": digest}]
    accepted = await gql(clerk, ACCEPT, {"s": submission["id"]})
    assert accepted["acceptDeposit"] == {
        "__typename": "SubmissionPayload",
        "submission": {"status": "ACCEPTED"},
    }
    removed, kept = await world.collect()
    assert mine.key in kept and removed == []
    await _still_whole(world, a, mine)


async def test_another_tenant_deleting_its_item_of_the_same_bytes_takes_nothing_from_me(
    world: World,
) -> None:
    a, b, mine = await _a_sealed_photo_and_b(world, seed=72)
    draft = (await start(b))["captureSession"]
    same = await capture_one(b, draft["id"], mine.body)
    only_theirs = photo_jpeg(seed=73)
    theirs = await capture_one(b, draft["id"], only_theirs)
    await world.previews()

    for response in (same, theirs):
        result = await gql(b, DELETE_ITEM, {"i": response.json()["item"]["id"]})
        assert result["deleteItem"] == {"__typename": "DeletedPayload"}

    await _still_whole(world, a, mine)
    removed, kept = await world.collect()
    assert mine.key in kept
    assert key_for(hashlib.sha256(only_theirs).hexdigest()) in removed
    assert not await world.store.exists(key_for(hashlib.sha256(only_theirs).hexdigest()))
    await _still_whole(world, a, mine)


async def test_another_tenant_deleting_its_sealed_deposit_of_the_same_bytes_takes_nothing_from_me(
    world: World,
) -> None:
    a, b, mine = await _a_sealed_photo_and_b(world, seed=74)
    theirs = await _sealed(world, b, mine.body)

    deleted = await gql(b, DELETE_DEPOSIT, {"d": theirs.node})

    assert deleted["deleteDeposit"] == {"__typename": "DepositDeleted", "tombstone": True}
    await _still_whole(world, a, mine)
    removed, kept = await world.collect()
    assert mine.key in kept and mine.key not in removed
    await _still_whole(world, a, mine)


async def test_another_tenant_deleting_its_account_and_organisation_takes_nothing_from_me(
    world: World,
) -> None:
    a, b, mine = await _a_sealed_photo_and_b(world, seed=75)
    await _sealed(world, b, mine.body)
    draft = (await start(b))["captureSession"]
    assert (await capture_one(b, draft["id"], mine.body)).status_code == 201

    gone = await gql(b, DELETE_ACCOUNT, {"p": PASSWORD})

    assert gone["deleteAccount"]["__typename"] == "OkPayload"
    await _still_whole(world, a, mine)
    await world.collect()
    await _still_whole(world, a, mine)


async def test_the_collector_waits_for_the_grace_period_and_spares_every_reference(
    world: World,
) -> None:
    a, _ = await world.tenant()
    b, _ = await world.tenant()
    c, _ = await world.tenant()
    lonely, staged_elsewhere = photo_jpeg(seed=76), photo_jpeg(seed=77)
    for body in (lonely, staged_elsewhere):
        draft = (await start(a))["captureSession"]
        assert (await capture_one(a, draft["id"], body)).status_code == 201
        await world.previews()
        await gql(a, DELETE_DEPOSIT, {"d": draft["deposit"]["id"]})
    # C announced the same bytes and has not uploaded them yet: an upload in flight.
    in_flight = (await start(c))["captureSession"]
    assert (await stage(c, in_flight["id"], staged_elsewhere))["__typename"] == "StagedUpload"
    lonely_key = key_for(hashlib.sha256(lonely).hexdigest())
    staged_key = key_for(hashlib.sha256(staged_elsewhere).hexdigest())

    early_removed, _ = await world.collect(later=timedelta(hours=1))
    assert early_removed == [] and await world.store.exists(lonely_key)
    periodic = {t.task.name for t in job_app.periodic_registry.periodic_tasks.values()}
    assert "evidence.collect_blobs" in periodic
    await job_app.tasks["evidence.collect_blobs"].func(timestamp=0)  # the hourly job, now
    assert await world.store.exists(lonely_key)

    removed, kept = await world.collect()

    assert lonely_key in removed and not await world.store.exists(lonely_key)
    assert staged_key in kept and await world.store.exists(staged_key)
    # Nothing is left to decide: a second pass removes and keeps nothing.
    assert await world.collect() == ([], [])
    # A tenant whose draft was collected simply uploads the bytes again.
    again = (await start(b))["captureSession"]
    assert (await capture_one(b, again["id"], lonely)).status_code == 201
    assert await world.store.exists(lonely_key)


async def test_a_writer_holding_a_blob_keeps_the_collector_waiting(
    committed_database: Database, tmp_path: Path
) -> None:
    store = LocalBlobStore(tmp_path / "media")
    body = secrets.token_bytes(64)

    async def chunks() -> AsyncIterator[bytes]:
        yield body

    key = (await store.put_stream(chunks=chunks(), max_bytes=100, expected_sha256=None)).key
    async with committed_database.unit_of_work() as session:
        await release(session, [key])
    async with committed_database.unit_of_work() as writer:
        await hold(writer, store, key)  # e.g. the preview job, about to point at it
        with pytest.raises(DBAPIError) as caught:
            async with committed_database.unit_of_work() as collector:
                await collector.execute(text("SET LOCAL lock_timeout = '300ms'"))
                await collector.execute(text("SELECT probant_collect_blob(:k, now())"), {"k": key})
        assert getattr(caught.value.orig, "sqlstate", None) == "55P03"  # lock_not_available
    # The writer ended without pointing at it: the blob goes, and a late writer learns it.
    assert key in (await collect(database=committed_database, store=store, grace=ZERO)).removed
    assert not await store.exists(key)
    with pytest.raises(BlobCollected):
        async with committed_database.unit_of_work() as writer:
            await hold(writer, store, key)
