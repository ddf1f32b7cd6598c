"""Running the job worker with the process's database and services, and keeping it running.

procrastinate's worker stops when it loses the database (its listener fails, it logs
"Stopped worker on all queues" and returns). The supervisor here starts it again with
backoff until it is cancelled, beats a health signal while it runs, and hands jobs left in
`doing` by a worker that stopped heart-beating (killed, crashed) back to the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from pathlib import Path
from typing import Any

import procrastinate
import structlog

from probant_platform.config import Settings, get_settings
from probant_platform.db import Database
from probant_platform.db.locate import application_url
from probant_platform.db.session import to_async_url
from probant_platform.jobs.health import WorkerHealth, register_in_process
from probant_platform.jobs.queue import job_app
from probant_platform.logging import configure_logging
from probant_platform.runtime import build_runtime

log = structlog.get_logger(__name__)

BACKOFF_FIRST, BACKOFF_MAX = 0.5, 30.0


def psycopg_conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL."""
    return to_async_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


async def run_worker(
    *,
    concurrency: int = 4,
    wait: bool = True,
    in_process: bool = False,
    health_file: Path | None = None,
    settings: Settings | None = None,
) -> None:
    """Process jobs until cancelled (or, with `wait=False`, until the queue is empty).

    Standalone (`probant worker`) SIGTERM/SIGINT stop it gracefully. Inside another server's
    process (`probant serve --with-worker`, `in_process=True`) the server owns the signals
    and cancels it, and `/readyz` reports it when it is down.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    url = application_url(settings)
    database = Database(url, pool_size=max(2, concurrency))
    build_runtime(settings, database)
    health = WorkerHealth(interval=settings.worker_heartbeat_seconds, health_file=health_file)
    options: dict[str, Any] = {
        "concurrency": concurrency,
        "wait": wait,
        "install_signal_handlers": False,
        "update_heartbeat_interval": settings.worker_heartbeat_seconds,
        "stalled_worker_timeout": settings.worker_stalled_seconds,
    }
    if in_process:
        register_in_process(health)
    try:
        if not wait:
            await _run_once(psycopg_conninfo(url), options, health, settings)
        elif in_process:
            await supervise(psycopg_conninfo(url), options, health, settings)
        else:
            await _until_signalled(supervise(psycopg_conninfo(url), options, health, settings))
    finally:
        health.down()
        if in_process:
            register_in_process(None)
        await database.dispose()


async def _until_signalled(work: Any) -> None:
    """Run `work`, cancelling it (a graceful stop for the worker) on SIGTERM or SIGINT."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, task.cancel)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(stop)


async def supervise(
    conninfo: str, options: dict[str, Any], health: WorkerHealth, settings: Settings
) -> None:
    """Keep a worker running: after it stops or fails, start it again with backoff."""
    delay = BACKOFF_FIRST
    while True:
        started = time.monotonic()
        try:
            await _run_once(conninfo, options, health, settings)
            log.warning("worker.stopped", restart_in=delay)
        except Exception as exc:
            log.warning("worker.failed", error=type(exc).__name__, detail=str(exc)[:200])
        health.down()
        if time.monotonic() - started > BACKOFF_MAX:
            delay = BACKOFF_FIRST  # it ran a good while: this is a new incident
        await asyncio.sleep(delay)
        delay = min(delay * 2, BACKOFF_MAX)


async def _run_once(
    conninfo: str, options: dict[str, Any], health: WorkerHealth, settings: Settings
) -> None:
    """One life of procrastinate's worker, on a fresh connection pool, with its heartbeat."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    with job_app.replace_connector(connector):
        async with job_app.open_async():
            worker = asyncio.create_task(job_app.run_worker_async(**options))
            beating = asyncio.create_task(_beat(health, settings))
            try:
                await asyncio.shield(worker)
            except asyncio.CancelledError:
                worker.cancel()  # procrastinate then stops gracefully, finishing running jobs
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
                raise
            finally:
                beating.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beating


async def _beat(health: WorkerHealth, settings: Settings) -> None:
    """While the worker runs: prove the database answers, and requeue stalled jobs."""
    while True:
        try:
            await requeue_stalled_jobs(settings.worker_stalled_seconds)
            health.beat()
        except Exception as exc:
            log.warning("worker.heartbeat_failed", error=type(exc).__name__)
        await asyncio.sleep(settings.worker_heartbeat_seconds)


async def requeue_stalled_jobs(stalled_seconds: float) -> int:
    """Jobs in `doing` whose worker stopped heart-beating go back to the queue (every job is
    idempotent, so running one again after a crash is safe)."""
    manager = job_app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds))
    for job in stalled:
        log.warning("job.requeued_stalled", job_id=job.id, task=job.task_name)
        await manager.retry_job(job)
    return len(stalled)
