"""A capture started and left without any item leaves no draft behind once its session ends."""

from __future__ import annotations

import time

import httpx
from tests.evidence.capture_flow import capture_one, start
from tests.factories import gql, log_in, make_organisation

from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.jobs import job_app

ARCHIVE = "{ deposits { edges { node { reference status } } } }"
DAY = 24 * 3600


async def _references(client: httpx.AsyncClient) -> set[str]:
    edges = (await gql(client, ARCHIVE))["deposits"]["edges"]
    return {e["node"]["reference"] for e in edges}


async def test_the_job_deletes_empty_drafts_whose_session_expired(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    empty = (await start(client))["captureSession"]["deposit"]["reference"]
    used = (await start(client))["captureSession"]
    assert (await capture_one(client, used["id"], photo_jpeg(seed=3))).status_code == 201
    job = job_app.tasks["evidence.expire_empty_drafts"].func

    await job(timestamp=int(time.time()))  # the sessions are still open: nothing goes
    while_open = await _references(client)
    await job(timestamp=int(time.time()) + DAY)  # a day later every session has expired
    after = await _references(client)

    assert while_open == {empty, used["deposit"]["reference"]}
    assert after == {used["deposit"]["reference"]}
