"""Running the job worker with the process's database and services."""

from __future__ import annotations

import procrastinate

from probant_platform.config import get_settings
from probant_platform.db import Database
from probant_platform.db.locate import application_url
from probant_platform.db.session import to_async_url
from probant_platform.jobs.queue import job_app
from probant_platform.logging import configure_logging
from probant_platform.runtime import build_runtime


def psycopg_conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL."""
    return to_async_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


async def run_worker(
    *, concurrency: int = 4, wait: bool = True, install_signal_handlers: bool = True
) -> None:
    """Process jobs until interrupted (or, with `wait=False`, until the queue is empty).

    Inside another server's process (`probant serve --with-worker`) pass
    `install_signal_handlers=False`: the server owns SIGTERM/SIGINT and cancels the worker.
    """
    settings = get_settings()
    configure_logging(settings.log_level)
    url = application_url(settings)
    database = Database(url, pool_size=max(2, concurrency))
    build_runtime(settings, database)
    connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(url))
    try:
        with job_app.replace_connector(connector):
            async with job_app.open_async():
                await job_app.run_worker_async(
                    concurrency=concurrency,
                    wait=wait,
                    install_signal_handlers=install_signal_handlers,
                )
    finally:
        await database.dispose()
