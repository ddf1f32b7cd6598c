"""Liveness and readiness probes."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from probant_platform import __version__
from probant_platform.jobs.health import in_process_worker


async def healthz(request: Request) -> JSONResponse:
    """The process is alive; says nothing of its dependencies."""
    return JSONResponse({"status": "ok", "version": __version__})


async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers, its schema is at the code's migration heads and, in a
    process that runs the job worker (`serve --with-worker`), that worker is alive."""
    runtime = request.app.state.runtime
    expected: frozenset[str] = request.app.state.migration_heads
    worker = in_process_worker()
    if worker is not None and not worker.alive():
        reason = "job worker not running"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    try:
        async with runtime.database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            current = await conn.run_sync(
                lambda sync_conn: set(MigrationContext.configure(sync_conn).get_current_heads())
            )
    except Exception as exc:
        reason = f"database unreachable: {type(exc).__name__}"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    missing = sorted(expected - current)
    if missing:
        reason = f"migrations pending: {', '.join(missing)}"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready"})
