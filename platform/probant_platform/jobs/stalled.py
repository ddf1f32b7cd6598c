"""Jobs whose worker died go back to the queue.

A worker that is killed (OOM, node lost, SIGKILL) leaves its jobs `doing` for ever. Workers
beat every 10 s; once a worker has been silent for STALLED_AFTER, every job it held is set
back to `todo` and another worker runs it again (jobs are idempotent).
"""

from __future__ import annotations

import structlog

from probant_platform.jobs.queue import job_app

log = structlog.get_logger("probant.jobs")
STALLED_AFTER_SECONDS = 60


async def retry_stalled_jobs() -> int:
    manager = job_app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS))
    for job in stalled:
        await manager.retry_job(job)
        log.warning("job.stalled_retried", job_id=job.id, task=job.task_name)
    await manager.prune_stalled_workers(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
    return len(stalled)


@job_app.periodic(cron="* * * * * */20", periodic_id="jobs-retry-stalled")
@job_app.task(name="jobs.retry_stalled", queue="default", pass_context=False)
async def periodic_retry_stalled(timestamp: int) -> None:
    await retry_stalled_jobs()
