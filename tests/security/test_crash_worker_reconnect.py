"""The job worker outlives a database restart, and says when it is down (issue 12, item 10).

A standalone `probant worker` used to exit when its connections were cut, and the worker of
`probant serve --with-worker` stopped for good while `/readyz` still said ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.sent_emails import defer_welcome
from tests.support import TEST_SECRET

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.db.roles import APP_ROLE
from probant_platform.db.session import to_async_url
from probant_platform.jobs.runtime import run_worker
from probant_platform.web.app import create_app

PROBANT = Path(sys.executable).with_name("probant")


@asynccontextmanager
async def database_outage(owner_url: str) -> AsyncIterator[None]:
    """What a database restart does to the application: every session is cut and new ones
    are refused until the block ends. Only this test database is affected (REVOKE CONNECT),
    not the server that other test sessions share."""
    engine = create_async_engine(to_async_url(owner_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            name = (await conn.execute(text("SELECT current_database()"))).scalar_one()
            app_role = APP_ROLE
            await conn.execute(text(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC'))
            await conn.execute(text(f'REVOKE CONNECT ON DATABASE "{name}" FROM "{app_role}"'))
            await conn.execute(text(CUT), {"role": app_role})
            try:
                yield
            finally:
                await conn.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO PUBLIC'))
    finally:
        await engine.dispose()


CUT = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND usename = :role"
)


async def eventually(check: Callable[[], Any], seconds: float = 30.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached in time")


def delivered(outbox: Path, marker: str) -> bool:
    return any(marker in p.read_text(errors="replace") for p in outbox.glob("*.eml"))


async def probe(health_file: Path, env: dict[str, str]) -> int:
    """`probant worker-health`, as the chart's liveness probe runs it."""
    command = [str(PROBANT), "worker-health", "--health-file", str(health_file)]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True)
    return done.returncode


def start_worker(tmp_path: Path, health: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with (tmp_path / "worker.log").open("wb") as log:
        return subprocess.Popen(
            [str(PROBANT), "worker", "--health-file", str(health)],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def test_a_standalone_worker_survives_a_database_outage(
    committed_database: Database, owner_url: str, tmp_path: Path
) -> None:
    # Given `probant worker` running with a health file
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PROBANT_"))}
    env.update(
        DATABASE_URL=owner_url,
        PROBANT_SECRET_KEY=TEST_SECRET,
        PROBANT_DATA_DIR=str(tmp_path),
        PROBANT_WORKER_HEARTBEAT_SECONDS="0.5",
    )
    health = tmp_path / "worker.alive"
    worker = start_worker(tmp_path, health, env)
    try:
        await eventually(health.exists, 60)
        assert await probe(health, env) == 0

        # When the database goes away for a while, the probe reports the worker down
        async with database_outage(owner_url):
            await eventually(lambda: _equals(probe(health, env), 1), 30)

        # Then once it is back the worker, still up, reconnects and delivers a new job
        marker = secrets.token_hex(6)
        await defer_welcome(committed_database, marker)
        await eventually(lambda: delivered(tmp_path / "outbox", marker))
        assert worker.poll() is None

        # And once it is stopped, the probe says so
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(60) == 0
        assert await probe(health, env) == 1
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


async def test_readyz_reports_the_in_process_worker_down_until_it_is_back(
    committed_database: Database, settings: Settings, owner_url: str
) -> None:
    # Given a server running its worker in process (serve --with-worker), ready
    quick = settings.model_copy(update={"worker_heartbeat_seconds": 0.3})
    app = create_app(quick, database=committed_database, configure_logs=False)
    worker = asyncio.create_task(run_worker(concurrency=2, in_process=True, settings=quick))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:

        async def readiness() -> tuple[int, str]:
            response = await client.get("/readyz")
            return response.status_code, response.json().get("reason", "")

        try:
            await eventually(lambda: _is(readiness, 200), 60)

            # When the database goes away for a while, /readyz says the worker is down
            async with database_outage(owner_url):
                await eventually(lambda: _is(readiness, 503, "job worker not running"), 15)

            # Then once it is back, the worker reconnects: ready again, and jobs run
            await eventually(lambda: _is(readiness, 200), 30)
            marker = secrets.token_hex(6)
            await defer_welcome(committed_database, marker)
            await eventually(lambda: delivered(quick.data_dir / "outbox", marker))
            assert not worker.done()
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker


async def _is(readiness: Callable[[], Any], status: int, reason: str = "") -> bool:
    found_status, found_reason = await readiness()
    return bool(found_status == status and reason in found_reason)


async def _equals(value: Any, expected: Any) -> bool:
    return bool(await value == expected)
