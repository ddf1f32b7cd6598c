"""Applying Alembic migrations safely: one runner at a time, bounded locks, all or nothing."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from probant_platform.config import Settings
from probant_platform.db.roles import ensure_app_role

# Any constant works; it only has to be the same for every `probant migrate` run.
MIGRATION_LOCK_KEY = 0x70726F62616E74


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our `migrations/` folder and `url`."""
    root = _project_root()
    config = (
        Config(toml_file=str(root / "pyproject.toml"))
        if (root / "pyproject.toml").exists()
        else Config()
    )
    config.set_main_option("script_location", str(_migrations_dir()))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def _project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def _migrations_dir() -> Path:
    bundled = Path(__file__).resolve().parent.parent / "migrations"
    return bundled if bundled.exists() else _project_root() / "migrations"


def sync_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def migrate(url: str, settings: Settings, *, revision: str = "heads") -> None:
    """Create the application role and upgrade the schema to `revision`."""
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            ensure_app_role(connection, settings)
        config = alembic_config(url)
        command.upgrade(config, revision)
    finally:
        engine.dispose()


def pending_heads(url: str) -> set[str]:
    """Revisions in the code that the database has not applied yet (empty when at head)."""
    config = alembic_config(url)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    return heads - current
