"""A job held by a worker that died (no heartbeat for a minute) goes back to the queue; a job
of a live worker stays with it."""

from __future__ import annotations

import secrets

import procrastinate
from sqlalchemy import text

from probant_platform.db import Database
from probant_platform.jobs import job_app
from probant_platform.jobs.runtime import psycopg_conninfo, requeue_stalled_jobs

STALLED_AFTER_SECONDS = 60


async def _held_job(db: Database, *, heartbeat_age_seconds: int) -> int:
    marker = secrets.token_hex(6)
    async with db.unit_of_work() as session:
        worker = (
            await session.execute(
                text(
                    "INSERT INTO procrastinate_workers (last_heartbeat) "
                    "VALUES (now() - make_interval(secs => :age)) RETURNING id"
                ),
                {"age": heartbeat_age_seconds},
            )
        ).scalar_one()
        job: int = (
            await session.execute(
                text(
                    "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, "
                    "worker_id) VALUES ('email', 'notifications.send_email', "
                    "jsonb_build_object('marker', CAST(:m AS text)), 'doing', :w) RETURNING id"
                ),
                {"m": marker, "w": worker},
            )
        ).scalar_one()
    return job


async def _status(db: Database, job_id: int) -> str:
    async with db.unit_of_work() as session:
        status: str = (
            await session.execute(
                text("SELECT status::text FROM procrastinate_jobs WHERE id = :id"), {"id": job_id}
            )
        ).scalar_one()
    return status


async def test_jobs_of_a_silent_worker_are_queued_again(
    committed_database: Database, app_url: str
) -> None:
    dead = await _held_job(committed_database, heartbeat_age_seconds=STALLED_AFTER_SECONDS + 30)
    alive = await _held_job(committed_database, heartbeat_age_seconds=1)
    connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
    try:
        with job_app.replace_connector(connector):
            async with job_app.open_async():
                assert await requeue_stalled_jobs(STALLED_AFTER_SECONDS) >= 1
        assert await _status(committed_database, dead) == "todo"
        assert await _status(committed_database, alive) == "doing"
    finally:
        async with committed_database.unit_of_work() as session:
            await session.execute(
                text("DELETE FROM procrastinate_jobs WHERE id = ANY(:ids)"), {"ids": [dead, alive]}
            )
