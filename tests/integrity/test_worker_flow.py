"""Done-when, in the test suite: a real worker takes a sealed deposit to an anchored batch and
a signed report in the author's mailbox, the batch closing on its own (periodic job)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
from typing import Any

import httpx
import procrastinate
from pypdf import PdfReader
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.jobs import job_app
from probant_platform.jobs.runtime import psycopg_conninfo
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app

QUERY = """query($id: ID!) { node(id: $id) { ... on Deposit {
  certificateUrl proofBundle integrity { status } } } }"""


async def _report_email(mailbox: Any, to: str, seconds: float = 60) -> Any:
    """The first email to `to` carrying a PDF (the sign-up's confirmation comes first)."""
    for _ in range(int(seconds / 0.25)):
        for message in mailbox.messages:
            if message["To"] == to and any(
                p.get_content_type() == "application/pdf" for p in message.walk()
            ):
                return message
        await asyncio.sleep(0.25)
    raise AssertionError(f"no report emailed to {to} within {seconds} s")


def test_the_batch_closer_is_a_periodic_job() -> None:
    import probant_platform.jobs.registry  # noqa: F401  (what the worker imports at start)

    names = {task.task.name for task in job_app.periodic_registry.periodic_tasks.values()}
    assert "integrity.tick" in names


async def test_a_sealed_deposit_is_anchored_and_reported_by_the_worker_alone(
    committed_database: Database, settings: Settings, app_url: str, smtp_server: Any
) -> None:
    url, mailbox = smtp_server
    quick = settings.model_copy(update={"smtp_url": url, "batch_seconds": 1})
    app = create_app(quick, database=committed_database, configure_logs=False)
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, 3)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await log_in(client, owner)
        session = (await start(client))["captureSession"]
        photo = photo_jpeg(seed=4242)
        assert (await capture_one(client, session["id"], photo)).status_code == 201
        await fill(client, session["deposit"]["id"])
        assert (await seal(client, session["deposit"]["id"]))["__typename"] == "DepositPayload"
        build_runtime(quick, committed_database)

        connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
        with job_app.replace_connector(connector):
            async with job_app.open_async():
                worker = asyncio.create_task(
                    job_app.run_worker_async(concurrency=2, install_signal_handlers=False)
                )
                try:
                    report = await _report_email(mailbox, owner.email)
                finally:
                    worker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await worker

        [attachment] = [p for p in report.walk() if p.get_content_type() == "application/pdf"]
        text = "".join(
            page.extract_text() or ""
            for page in PdfReader(io.BytesIO(attachment.get_payload(decode=True))).pages
        )
        deposit = (await gql(client, QUERY, {"id": session["deposit"]["id"]}))["node"]

    assert hashlib.sha256(photo).hexdigest() in text.replace("\n", "")
    assert deposit["integrity"]["status"] == "ANCHORED"
    assert deposit["certificateUrl"] is not None
    assert deposit["proofBundle"]["status"] == "complete"
    assert (
        deposit["proofBundle"]["certificate"]["pdf_sha256"]
        == hashlib.sha256(attachment.get_payload(decode=True)).hexdigest()
    )
