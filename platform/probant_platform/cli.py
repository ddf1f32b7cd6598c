"""The `probant` command: serve, migrate, worker, demo, version."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from probant_platform import __version__
from probant_platform.config import get_settings
from probant_platform.integrity import commands as integrity_commands
from probant_platform.partners import commands as partner_commands

app = typer.Typer(help="Probant: evidence that holds up in a dispute.", no_args_is_help=True)
app.add_typer(integrity_commands.app, name="integrity")
app.add_typer(partner_commands.app, name="partners")
app.command("verify")(integrity_commands.verify_command)


# Our JSON `http.request` line is the access log (path only: upload tokens and signed links
# ride in query strings); proxy headers are read by the app itself, from trusted proxies only
# (PROBANT_TRUSTED_PROXIES), so uvicorn's own handling is off.
SERVER_OPTIONS: dict[str, Any] = {"log_config": None, "access_log": False, "proxy_headers": False}


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def _owner_url() -> str:
    """The owner URL, starting the embedded server when DATABASE_URL is unset."""
    from probant_platform.db.locate import owner_url

    settings = get_settings()
    url = owner_url(settings)
    if not settings.database_url:
        # Child processes (uvicorn workers) join the same embedded server through this.
        os.environ["DATABASE_URL"] = url
    return url


def _check_reachable(url: str) -> None:
    from probant_platform.db import Database, DatabaseUnavailable

    async def ping() -> None:
        db = Database(url, pool_size=1)
        try:
            await db.ping()
        finally:
            await db.dispose()

    try:
        asyncio.run(ping())
    except DatabaseUnavailable as exc:
        _fail(str(exc))


@app.command()
def version() -> None:
    """Print Probant's version."""
    typer.echo(__version__)


@app.command()
def migrate() -> None:
    """Create the application role and apply all migrations (safe to run twice)."""
    from probant_platform.db.migrate import migrate as run_migrations

    url = _owner_url()
    _check_reachable(url)
    try:
        run_migrations(url, get_settings())
    except Exception as exc:
        _fail(f"migration failed, schema left at its previous revision: {exc}")
    typer.echo("migrations applied")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    demo_intranet_port: Annotated[
        int | None,
        typer.Option(help="Also serve the demo company's intranet (widget embedded) on this port."),
    ] = None,
    with_worker: Annotated[
        bool,
        typer.Option(
            "--with-worker",
            help="Also run the background jobs in this process (development; one process).",
        ),
    ] = False,
) -> None:
    """Serve the API (GraphQL at /graphql) with uvicorn."""
    import uvicorn

    url = _owner_url()
    _check_reachable(url)
    if demo_intranet_port is not None or with_worker:
        if workers > 1:
            _fail("--workers cannot be combined with --with-worker or --demo-intranet-port")
        asyncio.run(_serve_all(host, port, demo_intranet_port, with_worker))
        return
    uvicorn.run(
        "probant_platform.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **SERVER_OPTIONS,
    )


async def _serve_all(host: str, port: int, intranet_port: int | None, with_worker: bool) -> None:
    """The API, and optionally the demo intranet and the job worker, in one event loop."""
    import uvicorn

    from probant_platform.jobs.runtime import run_worker
    from probant_platform.web.app import create_app
    from probant_platform.web.demo_intranet import IntranetConfig, create_intranet_app

    servers = [uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, **SERVER_OPTIONS))]
    if intranet_port is not None:
        config_path = get_settings().data_dir / "demo-intranet.json"
        if not config_path.exists():
            _fail("no demo intranet configured: run `probant demo` first")
        intranet = create_intranet_app(IntranetConfig.load(config_path))
        servers.append(
            uvicorn.Server(
                uvicorn.Config(intranet, host=host, port=intranet_port, **SERVER_OPTIONS)
            )
        )
        typer.echo(f"Demo intranet of the demo company: http://127.0.0.1:{intranet_port}/")
    stopped_by: list[BaseException] = []

    async def serve_one(server: uvicorn.Server) -> None:
        # uvicorn re-raises the signal it handled once it has shut down (SystemExit for
        # SIGTERM, see db.embedded; KeyboardInterrupt for SIGINT): hold it until the worker
        # is stopped too, then let it end the process.
        try:
            await server.serve()
        except (SystemExit, KeyboardInterrupt) as signalled:
            stopped_by.append(signalled)

    serving = [asyncio.create_task(serve_one(server)) for server in servers]
    worker = None
    if with_worker:
        typer.echo("Background jobs run in this process (certificates, anchoring, emails).")
        # uvicorn owns the signals; when a server stops (SIGTERM, SIGINT), so does the worker.
        worker = asyncio.create_task(run_worker(concurrency=2, in_process=True))
    await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*serving, return_exceptions=True)
    if worker is not None:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    if stopped_by:
        raise stopped_by[0]


HealthFile = Annotated[
    Path | None,
    typer.Option(help="File touched on each worker heartbeat (for a liveness probe)."),
]


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs run at once.", min=1, max=64)] = 4,
    health_file: HealthFile = None,
) -> None:
    """Run background jobs (emails, certificates, anchoring) until interrupted.

    It outlives database restarts (reconnecting with backoff) and requeues the jobs of
    workers that died mid-job."""
    from probant_platform.jobs.runtime import run_worker

    url = _owner_url()
    _check_reachable(url)
    asyncio.run(run_worker(concurrency=concurrency, health_file=health_file))


@app.command("worker-health")
def worker_health(health_file: HealthFile = None) -> None:
    """Exit 0 when the worker writing HEALTH_FILE beat recently, 1 otherwise (a probe)."""
    from probant_platform.jobs.health import health_file_is_fresh

    if health_file is None:
        _fail("--health-file is required")
    assert health_file is not None
    if not health_file_is_fresh(health_file, get_settings().worker_heartbeat_seconds):
        _fail(f"no recent worker heartbeat in {health_file}")
    typer.echo("worker alive")


@app.command()
def doctor() -> None:
    """Check configuration, database, storage, chain RPC, SMTP and signing material."""
    from probant_platform.doctor import Status, run_checks

    findings = run_checks()
    for finding in findings:
        typer.echo(f"{finding.status.value:<4}  {finding.check:<13}  {finding.message}")
    failed = sum(f.status is Status.FAIL for f in findings)
    warned = sum(f.status is Status.WARN for f in findings)
    typer.echo(f"{failed} problem(s), {warned} warning(s)")
    raise typer.Exit(code=1 if failed else 0)


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the accounts as JSON.")] = False,
) -> None:
    """Create the demo organisations and accounts (idempotent)."""
    from probant_platform.demo import seed_demo

    _owner_url()
    accounts = asyncio.run(seed_demo())
    if as_json:
        typer.echo(json.dumps({"accounts": accounts}, ensure_ascii=False, indent=2))
        return
    typer.echo("Demo accounts:")
    for account in accounts:
        typer.echo(
            f"  {account['email']:<36} {account['password']:<18} "
            f"{account['role']:<13} {account['organisation']}"
        )


@app.command()
def revision(
    message: Annotated[str, typer.Argument(help="What the revision does.")],
    rev_id: Annotated[str, typer.Option(help="Revision id, e.g. 0400_ledger.")],
    down_revision: Annotated[
        str | None, typer.Option(help="Parent revision (default: the current heads).")
    ] = None,
) -> None:
    """Autogenerate a migration from the models against the configured database (developers)."""
    from alembic import command

    from probant_platform.db.migrate import alembic_config

    config = alembic_config(_owner_url())
    head = down_revision or "heads"
    command.revision(config, message=message, autogenerate=True, rev_id=rev_id, head=head)


@app.command("create-operator")
def create_operator(
    email: Annotated[str, typer.Argument(help="The operator's email address.")],
    full_name: Annotated[str, typer.Option(help="The operator's name.")] = "Opérateur Probant",
) -> None:
    """Create a platform operator (prints a one-time password for a new account)."""
    from probant_platform.db import Database
    from probant_platform.db.locate import application_url
    from probant_tenants.operators import prepare_operator, register_operators

    url = _owner_url()
    _check_reachable(url)
    settings = get_settings()

    async def run() -> tuple[object, str | None]:
        database = Database(application_url(settings), pool_size=1)
        try:
            async with database.unit_of_work() as session:
                return await prepare_operator(session=session, email=email, full_name=full_name)
        finally:
            await database.dispose()

    try:
        user_id, password = asyncio.run(run())
    except Exception as exc:
        _fail(str(exc))
    register_operators(url, [user_id])  # type: ignore[list-item]
    typer.echo(f"operator ready: {email}")
    if password:
        typer.echo(f"one-time password (change it at first login): {password}")


@app.command("close-billing-periods")
def close_billing_periods() -> None:
    """Close ended plan periods now (expiry, development renewals); the worker does it hourly."""
    from probant_platform.billing.subscriptions import run_period_ends
    from probant_platform.db import Database
    from probant_platform.db.locate import application_url

    _check_reachable(_owner_url())
    settings = get_settings()

    async def run() -> int:
        database = Database(application_url(settings), pool_size=1)
        try:
            return await run_period_ends(database=database)
        finally:
            await database.dispose()

    typer.echo(f"periods closed: {asyncio.run(run())}")


@app.command("export-schema")
def export_schema() -> None:
    """Write the GraphQL SDL to graphql/probant_graphql/schema.graphql."""
    from probant_graphql.schema import schema

    target = Path(__file__).resolve().parents[2] / "graphql" / "probant_graphql" / "schema.graphql"
    target.write_text(schema.as_str() + "\n")
    typer.echo(f"wrote {target}")


def main() -> None:
    from probant_platform.db.embedded import embedded_lifetime

    with embedded_lifetime():
        app(prog_name="probant")


if __name__ == "__main__":
    main()
