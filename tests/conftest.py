"""Test fixtures: one throwaway PostgreSQL database per session, a SAVEPOINT per test."""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from tests.support import TEST_SECRET, Mailbox, free_port

import probant_platform.wiring  # noqa: F401  (tests are a composition root too)
from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.db.migrate import migrate, sync_url
from probant_platform.db.roles import app_database_url
from probant_platform.db.session import to_async_url
from probant_platform.runtime import build_runtime

_CHECKOUT_BEFORE = pytest.StashKey[set[str] | None]()
TEMPLATE_LOCK_KEY = 0x70726F62616E74  # "probant": one template built at a time
CHECKOUT = Path(__file__).resolve().parents[1]
# Written by tools a developer runs beside the suite, or by Python itself: not the suite's doing.
NOT_THE_SUITES = ("__pycache__", ".mypy_cache/", ".ruff_cache/", ".venv/", "node_modules/")
SOURCES = (".py", ".md", ".ts")  # a developer may add some while the suite runs


def _untracked(root: Path) -> set[str] | None:
    """Untracked and ignored paths of the checkout (None outside a git checkout)."""
    try:
        listed = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    paths = {line[3:] for line in listed.splitlines() if line[:2] in ("??", "!!")}
    return {
        p
        for p in paths
        if not any(part in p for part in NOT_THE_SUITES) and not p.endswith(SOURCES)
    }


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Keep the checkout clean: Hypothesis' example database and pytest-benchmark's storage
    go to a temporary folder (the benchmark plugin creates its folder when it configures)."""
    from hypothesis import settings as hypothesis_settings
    from hypothesis.configuration import set_hypothesis_home_dir

    scratch = Path(tempfile.mkdtemp(prefix="probant-pytest-"))
    set_hypothesis_home_dir(scratch / "hypothesis")
    hypothesis_settings.register_profile("probant", database=None)
    hypothesis_settings.load_profile("probant")
    if getattr(config.option, "benchmark_storage", None) == "file://./.benchmarks":
        config.option.benchmark_storage = f"file://{scratch / 'benchmarks'}"
    config.stash[_CHECKOUT_BEFORE] = _untracked(CHECKOUT)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if it left files in the checkout (tests write to tmp folders)."""
    before = session.config.stash.get(_CHECKOUT_BEFORE, None)
    after = _untracked(CHECKOUT) if before is not None else None
    left = sorted(after - before) if after is not None and before is not None else []
    if left:
        session.config.get_terminal_writer().line(
            f"the tests wrote into the checkout: {', '.join(left)}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _server_url(tmp_root: Path) -> tuple[str, Any]:
    configured = os.environ.get("PROBANT_TEST_DATABASE_URL")
    if configured:
        return configured, None
    from probant_platform.db.embedded import start_embedded

    server, url = start_embedded(tmp_root)
    return url, server


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="probant-test-") as folder:
        yield Path(folder)


@pytest.fixture(scope="session")
def owner_url(data_dir: Path) -> Iterator[str]:
    """A fresh database, migrated once, dropped at the end of the session."""
    server_url, server = _server_url(data_dir / "pg")
    name = f"probant_test_{secrets.token_hex(4)}"
    admin = create_engine(sync_url(server_url), isolation_level="AUTOCOMMIT")
    url = make_url(sync_url(server_url)).set(database=name).render_as_string(hide_password=False)
    if os.environ.get("PROBANT_TEST_MIGRATE_ONCE") == "1":
        _copy_of_migrated_template(admin, server_url, name, data_dir)
    else:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        migrate(url, _settings(url, data_dir))
    yield url
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()
    if server is not None:
        server.cleanup()


def _copy_of_migrated_template(admin: Any, server_url: str, name: str, data_dir: Path) -> None:
    """`name` as a copy of a database migrated once per version of the migrations.

    For runs that start hundreds of short sessions (`make mutation`: one per mutant), set
    PROBANT_TEST_MIGRATE_ONCE=1: the first session migrates a template named after the
    migrations' content, later ones copy it (CREATE DATABASE … TEMPLATE, well under a second
    instead of a full migration). Sessions of a normal `make test` migrate their own database.
    """
    digest = hashlib.sha256()
    for path in sorted((CHECKOUT / "migrations").rglob("*.py")):
        digest.update(path.read_bytes())
    template = f"probant_template_{digest.hexdigest()[:16]}"
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": TEMPLATE_LOCK_KEY})
        try:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}
            ).scalar()
            if not exists:
                building = f"{template}_building"
                conn.execute(text(f'DROP DATABASE IF EXISTS "{building}"'))
                conn.execute(text(f'CREATE DATABASE "{building}"'))
                building_url = (
                    make_url(sync_url(server_url))
                    .set(database=building)
                    .render_as_string(hide_password=False)
                )
                migrate(building_url, _settings(building_url, data_dir))
                conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": TEMPLATE_LOCK_KEY})


def _settings(url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": url,
        "PROBANT_DATA_DIR": data_dir,
        "PROBANT_SECRET_KEY": TEST_SECRET,
        "PROBANT_ENV": "development",
        "PROBANT_BASE_URL": "http://testserver",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def settings(owner_url: str, data_dir: Path) -> Settings:
    return _settings(owner_url, data_dir)


@pytest.fixture(scope="session")
def app_url(owner_url: str, settings: Settings) -> str:
    return app_database_url(owner_url, settings)


@pytest.fixture(scope="session")
async def app_engine(app_url: str) -> AsyncIterator[Any]:
    # pre-ping: the crash tests terminate this database's connections on purpose
    engine = create_async_engine(to_async_url(app_url), pool_size=5, pool_pre_ping=True)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_connection(app_engine: Any) -> AsyncIterator[AsyncConnection]:
    """One connection as the application role, its outer transaction rolled back after the test."""
    async with app_engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        if transaction.is_active:
            await transaction.rollback()


@pytest.fixture
async def database(app_url: str, db_connection: AsyncConnection, settings: Settings) -> Any:
    """The application's Database, every unit of work a SAVEPOINT of the test's transaction."""
    db = Database(app_url, pool_size=1, bind=db_connection)
    build_runtime(settings, db)
    yield db
    await db.engine.dispose()


@pytest.fixture
async def committed_database(app_url: str, settings: Settings) -> AsyncIterator[Database]:
    """A Database that really commits (for concurrency and job tests); use unique data."""
    db = Database(app_url, pool_size=20)
    build_runtime(settings, db)
    yield db
    await db.dispose()


@pytest.fixture
def app(settings: Settings, database: Database) -> Any:
    from probant_platform.web.app import create_app

    return create_app(settings, database=database, configure_logs=False)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    """A real SMTP server (aiosmtpd) on a free local port."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            mailbox.messages.append(message_from_bytes(envelope.content))
            return "250 Message accepted for delivery"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", mailbox
    finally:
        controller.stop()


@pytest.fixture
async def client_factory(app: Any) -> AsyncIterator[Any]:
    """Make more clients on the same app (one per person in a test), closed at the end."""
    clients: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.aclose()
