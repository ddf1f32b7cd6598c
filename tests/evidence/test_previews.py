"""The worker makes a small preview of each uploaded photo and video."""

from __future__ import annotations

import io

import httpx
import procrastinate
from PIL import Image
from tests.evidence.capture_flow import capture_one, start
from tests.factories import gql, log_in, make_organisation

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg, video_webm
from probant_platform.jobs import job_app
from probant_platform.jobs.runtime import psycopg_conninfo
from probant_platform.runtime import build_runtime

ITEMS = "query($d: ID!) { node(id: $d) { ... on Deposit { items { thumbnailUrl } } } }"


async def test_previews_are_made_by_the_worker(
    settings: Settings, committed_database: Database, app_url: str
) -> None:
    from probant_platform.web.app import create_app

    owner = await make_organisation(committed_database)
    app = create_app(settings, database=committed_database, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await log_in(client, owner)
        photos = (await start(client))["captureSession"]
        await capture_one(client, photos["id"], photo_jpeg(width=1600, height=1200))
        video = (await start(client, "VIDEO"))["captureSession"]
        await capture_one(client, video["id"], video_webm(seconds=1), "video/webm")
        assert (await gql(client, ITEMS, {"d": photos["deposit"]["id"]}))["node"]["items"] == [
            {"thumbnailUrl": None}
        ]

        build_runtime(settings, committed_database)
        connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
        with job_app.replace_connector(connector):
            async with job_app.open_async():
                await job_app.run_worker_async(
                    queues=["media"], wait=False, install_signal_handlers=False
                )

        for deposit in (photos, video):
            items = (await gql(client, ITEMS, {"d": deposit["deposit"]["id"]}))["node"]["items"]
            preview = await client.get(items[0]["thumbnailUrl"].removeprefix("http://testserver"))
            assert preview.status_code == 200
            assert preview.headers["content-type"] == "image/jpeg"
            with Image.open(io.BytesIO(preview.content)) as image:
                assert max(image.size) <= 480
                assert not image.getexif()
