"""The job queue: tasks are declared here and deferred inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import procrastinate
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.observability import traced_job

F = TypeVar("F", bound=Callable[..., Any])

# Task modules register on this app at import; the connector is replaced once the
# database URL is known (see `probant_platform.jobs.runtime`).
job_app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(),
    import_paths=["probant_platform.jobs.registry"],
)


def task(*, name: str, queue: str = "default", retry: int = 5) -> Callable[[F], F]:
    """Declare a job. Retries back off exponentially; jobs must be idempotent."""

    def decorate(func: F) -> F:
        job_app.task(
            name=name,
            queue=queue,
            retry=procrastinate.RetryStrategy(max_attempts=retry, exponential_wait=2),
            pass_context=False,
        )(traced_job(name, func))
        return func

    return decorate


async def enqueue(session: AsyncSession, name: str, /, **arguments: Any) -> int:
    """Defer job `name` on the session's connection: it exists only if the transaction commits."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    job = await job_app.configure_task(name=name, connection=raw.driver_connection).defer_async(
        **arguments
    )
    return job
