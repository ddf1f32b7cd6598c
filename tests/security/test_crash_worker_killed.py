"""A worker killed mid-job loses no acknowledged seal (issue 12, item 9).

`kill -9` during a burst left sealed deposits with a follow-up job in `doing` forever: no
batch, no anchor, no certified report. Jobs of a worker that stopped heart-beating are now
requeued by the next worker, and every follow-up job is idempotent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import httpx
from sqlalchemy import func, select, text
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import log_in, make_organisation
from tests.ledger_helpers import fund
from tests.support import TEST_SECRET

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg
from probant_platform.integrity.models import Certificate
from probant_platform.web.app import create_app

PROBANT = Path(sys.executable).with_name("probant")
FOLLOW_UPS = ("evidence.deposit_sealed", "integrity.anchor_batch", "integrity.certify_deposit")
DEPOSITS = 3


def start_worker(settings: Settings, owner_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PROBANT_"))}
    env.update(
        DATABASE_URL=owner_url,
        PROBANT_SECRET_KEY=TEST_SECRET,
        PROBANT_DATA_DIR=str(settings.data_dir),
        PROBANT_BASE_URL=settings.base_url,
        PROBANT_BATCH_SECONDS="1",
        PROBANT_WORKER_HEARTBEAT_SECONDS="0.5",
        PROBANT_WORKER_STALLED_SECONDS="2",
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(PROBANT), "worker", "--concurrency", "2"],
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def jobs_doing(database: Database) -> list[str]:
    async with database.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT task_name FROM procrastinate_jobs WHERE status = 'doing'")
        )
        return [name for (name,) in rows if name in FOLLOW_UPS]


def reports_emailed(outbox: Path, to: str) -> int:
    count = 0
    for path in outbox.glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        if message["To"] == to and any(
            part.get_content_type() == "application/pdf" for part in message.walk()
        ):
            count += 1
    return count


async def test_seals_acknowledged_before_a_worker_crash_end_anchored_and_certified_once(
    committed_database: Database, settings: Settings, owner_url: str, tmp_path: Path
) -> None:
    # Given deposits whose seal was acknowledged to their author
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, DEPOSITS)
    app = create_app(settings, database=committed_database, configure_logs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await log_in(client, owner)
        for seed in range(DEPOSITS):
            session = (await start(client))["captureSession"]
            photo = photo_jpeg(seed=9100 + seed)
            assert (await capture_one(client, session["id"], photo)).status_code == 201
            await fill(client, session["deposit"]["id"])
            sealed = await seal(client, session["deposit"]["id"])
            assert sealed["deposit"]["status"] == "SEALED"

    # When the worker is killed (SIGKILL) in the middle of a follow-up job
    first = start_worker(settings, owner_url, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 90
        while not await jobs_doing(committed_database):
            assert time.monotonic() < deadline and first.poll() is None, "no job started"
            await asyncio.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
    assert await jobs_doing(committed_database), "the crash should leave a job in doing"

    # Then another worker picks the stalled job up: every deposit is certified, exactly once
    second = start_worker(settings, owner_url, tmp_path / "worker.log")
    scope = TenantScope(organisation_id=owner.organisation_id)
    try:
        deadline = time.monotonic() + 120
        while True:
            async with committed_database.unit_of_work(scope) as s:
                certified = (await s.execute(select(func.count(Certificate.id)))).scalar_one()
            emailed = reports_emailed(settings.data_dir / "outbox", owner.email)
            if (
                certified == DEPOSITS
                and emailed == DEPOSITS
                and not await jobs_doing(committed_database)
            ):
                break
            assert time.monotonic() < deadline, (certified, emailed)
            assert second.poll() is None, "the second worker exited"
            await asyncio.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait()
    async with committed_database.unit_of_work(scope) as s:
        per_deposit = (
            await s.execute(
                select(Certificate.deposit_id, func.count()).group_by(Certificate.deposit_id)
            )
        ).all()
    assert len(per_deposit) == DEPOSITS and all(count == 1 for _, count in per_deposit)
    assert reports_emailed(settings.data_dir / "outbox", owner.email) == DEPOSITS
