"""The schema: migrations apply cleanly, twice, atomically, and agree with the models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, text
from tests.sqlstate import UNDEFINED_TABLE, refused

from probant_platform.config import Settings
from probant_platform.db.migrate import alembic_config, migrate, pending_heads, sync_url
from probant_platform.models import metadata


def test_models_and_migrations_agree(owner_url: str) -> None:
    command.check(alembic_config(owner_url))


def test_migrate_is_idempotent(owner_url: str, settings: Settings) -> None:
    migrate(owner_url, settings)
    migrate(owner_url, settings)
    assert pending_heads(owner_url) == set()


def test_a_failed_migration_leaves_the_previous_revision(
    owner_url: str, settings: Settings, tmp_path: Path
) -> None:
    # given a broken revision on top of the real ones
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    heads = _heads(owner_url)
    broken = tmp_path / "versions"
    broken.mkdir()
    (broken / "9999_broken.py").write_text(
        "revision = '9999_broken'\n"
        f"down_revision = {tuple(sorted(heads))!r}\n"
        "branch_labels = None\ndepends_on = None\n"
        "from alembic import op\n"
        "def upgrade():\n"
        "    op.execute('CREATE TABLE should_not_exist (id int)')\n"
        "    op.execute('SELECT * FROM no_such_table')\n"
        "def downgrade():\n    pass\n"
    )
    config = alembic_config(owner_url)
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", f"{versions}{os.pathsep}{broken}")
    # when it is applied
    with refused(UNDEFINED_TABLE, match="no_such_table"):
        command.upgrade(config, "heads")
    # then nothing of it remains and the database is still at the previous heads
    assert _heads(owner_url) == heads
    engine = create_engine(sync_url(owner_url))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('should_not_exist')")).scalar() is None
    engine.dispose()


def test_unknown_revision_is_a_clear_error(owner_url: str) -> None:
    with pytest.raises(CommandError, match="nope"):
        command.upgrade(alembic_config(owner_url), "nope")


def test_every_tenant_owned_table_forces_row_level_security(owner_url: str) -> None:
    engine = create_engine(sync_url(owner_url))
    tenant_tables = [t.name for t in metadata.sorted_tables if "organisation_id" in t.c]
    assert "memberships" in tenant_tables
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE relname = ANY(:names)"
            ),
            {"names": [*tenant_tables, "organisations"]},
        ).all()
    engine.dispose()
    unprotected = [r.relname for r in rows if not (r.relrowsecurity and r.relforcerowsecurity)]
    assert unprotected == []
    assert len(rows) == len(tenant_tables) + 1


def _heads(url: str) -> set[str]:
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    return set(rows)
