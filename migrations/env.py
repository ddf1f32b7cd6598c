"""Alembic environment: one transaction per run, an advisory lock, bounded lock and statement waits."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from probant_platform.db.migrate import MIGRATION_LOCK_KEY
from probant_platform.models import metadata

config = context.config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # procrastinate's tables come from its own schema file, applied by our first revision.
    table = getattr(obj, "table", obj) if type_ in ("index", "column") else obj
    table_name = getattr(table, "name", name) or ""
    return not str(table_name).startswith("procrastinate_")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        # All revisions of a run share one transaction: a failure leaves the previous revision.
        context.configure(
            connection=connection,
            target_metadata=metadata,
            compare_type=True,
            include_object=include_object,
            transaction_per_migration=False,
        )
        with context.begin_transaction():
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.execute(text("SET LOCAL lock_timeout = '5s'"))
            connection.execute(text("SET LOCAL statement_timeout = '120s'"))
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
