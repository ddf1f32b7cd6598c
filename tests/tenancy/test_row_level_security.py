"""Row-level security, swept over every tenant table the database holds (read from its catalogue).

For each table with an `organisation_id` column, the schema owner writes one row for tenant A
and one for tenant B; then, as the application role, each tenant must see exactly its own row,
no tenant must see none, and A must be refused every write on B's row (insert, update, move,
delete) — and B's row must still be there, unchanged, afterwards. A new table without a
policy fails here without anyone listing it.

The rows are minimal and generic: built from the catalogue's column types, written with
`session_replication_role = replica` so that foreign keys and triggers (which are not what is
under test) do not need a whole world behind each row. Everything happens in one transaction
that is rolled back, so nothing is left behind.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from tests.factories import make_organisation
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused

from probant_platform.db import Database, TenantScope
from probant_platform.db.roles import APP_ROLE
from probant_platform.db.session import to_async_url
from probant_platform.models import metadata

MODEL_TENANT_TABLES = sorted(t.name for t in metadata.sorted_tables if "organisation_id" in t.c)

CATALOGUE_TENANT_TABLES = """
SELECT c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') ORDER BY c.relname
"""
REQUIRED_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN a.atttypmod > 4 AND a.atttypid = 'varchar'::regtype THEN a.atttypmod - 4 END AS len
FROM pg_attribute a
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attnotnull AND d.oid IS NULL AND a.attidentity = '' AND a.attgenerated = ''
  AND a.attname NOT IN ('organisation_id', 'office_id')
"""
VALUE_BY_TYPE = {
    "uuid": "gen_random_uuid()",
    "text": "md5(random()::text)",
    "integer": "(random() * 1000000)::int",
    "bigint": "(random() * 1000000)::bigint",
    "double precision": "random()",
    "boolean": "false",
    "timestamp with time zone": "now()",
    "jsonb": "'{}'::jsonb",
    "bytea": "'\\x00'::bytea",
}


@dataclass(frozen=True)
class Tenants:
    a: uuid.UUID
    b: uuid.UUID


@pytest.fixture
async def owner(owner_url: str) -> AsyncIterator[AsyncConnection]:
    """The schema owner, in a transaction rolled back at the end."""
    engine = create_async_engine(to_async_url(owner_url), pool_size=1)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()
    await engine.dispose()


async def _value(column: Any) -> str:
    if column.type.startswith("character varying"):
        return f"left(md5(random()::text), {min(column.len or 32, 32)})"
    return VALUE_BY_TYPE[column.type]


async def _insert(conn: AsyncConnection, table: str, org: uuid.UUID, office: uuid.UUID) -> None:
    """One minimal row of `table` for `org` (addressed to `office` when the table has one)."""
    columns = (await conn.execute(text(REQUIRED_COLUMNS), {"table": table})).all()
    has_office = (
        await conn.execute(
            text(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attname = 'office_id' AND NOT attisdropped"
            ),
            {"t": table},
        )
    ).scalar_one()
    names = [
        "organisation_id",
        *(["office_id"] if has_office else []),
        *(c.attname for c in columns),
    ]
    values = [":org", *([":office"] if has_office else []), *[await _value(c) for c in columns]]
    await conn.execute(
        text(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"),
        {"org": org, "office": office},
    )


async def _as_app(conn: AsyncConnection, scope: TenantScope) -> None:
    await conn.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
    values = scope.settings()
    await conn.execute(
        text(
            "SELECT set_config('probant.tenant_id', :t, true),"
            " set_config('probant.user_id', '', true), set_config('probant.office_id', :o, true)"
        ),
        {"t": values["probant.tenant_id"], "o": values["probant.office_id"]},
    )


async def _visible(conn: AsyncConnection, table: str, scope: TenantScope) -> dict[uuid.UUID, int]:
    await _as_app(conn, scope)
    rows = await conn.execute(
        text(f"SELECT organisation_id, count(*) FROM {table} GROUP BY organisation_id")
    )
    await conn.execute(text("RESET ROLE"))
    return {org: count for org, count in rows}


async def _as_a(conn: AsyncConnection, tenants: Tenants, write: Any) -> str:
    """Run `write` as tenant A in a savepoint: 'refused' (42501), or 'no row' touched."""
    savepoint = await conn.begin_nested()
    await _as_app(conn, TenantScope(organisation_id=tenants.a))
    try:
        touched = await write()
    except DBAPIError as exc:
        code = getattr(exc.orig, "sqlstate", None)
        return "refused" if code == INSUFFICIENT_PRIVILEGE else f"error {code}: {exc.orig}"
    finally:
        await savepoint.rollback()
    return "no row" if touched == 0 else f"{touched} row(s) of B written by A"


async def _statement_as_a(conn: AsyncConnection, statement: str, tenants: Tenants) -> str:
    async def write() -> int:
        result = await conn.execute(text(statement), {"a": tenants.a, "b": tenants.b})
        return result.rowcount

    return await _as_a(conn, tenants, write)


async def _insert_as_a(conn: AsyncConnection, table: str, tenants: Tenants) -> str:
    async def write() -> int:
        await _insert(conn, table, tenants.b, uuid.uuid4())
        return 1

    return await _as_a(conn, tenants, write)


async def _sweep(conn: AsyncConnection, table: str, tenants: Tenants) -> list[str]:
    """What is wrong with `table`'s isolation (empty when nothing is)."""
    office_a, office_b = uuid.uuid4(), uuid.uuid4()
    await _insert(conn, table, tenants.a, office_a)
    await _insert(conn, table, tenants.b, office_b)
    problems = []
    for org in (tenants.a, tenants.b):
        seen = await _visible(conn, table, TenantScope(organisation_id=org))
        if seen != {org: 1}:
            problems.append(f"tenant {'AB'[org == tenants.b]} sees {seen}")
    if await _visible(conn, table, TenantScope()):
        problems.append("rows visible without a tenant")
    writes = {
        "insert for B": await _insert_as_a(conn, table, tenants),
        "update B's row": await _statement_as_a(
            conn, f"UPDATE {table} SET organisation_id = :b WHERE organisation_id = :b", tenants
        ),
        "move A's row to B": await _statement_as_a(
            conn, f"UPDATE {table} SET organisation_id = :b WHERE organisation_id = :a", tenants
        ),
        "delete B's row": await _statement_as_a(
            conn, f"DELETE FROM {table} WHERE organisation_id = :b", tenants
        ),
    }
    problems += [
        f"{write}: {outcome}"
        for write, outcome in writes.items()
        if outcome
        not in (
            "refused",
            "no row",
        )
    ]
    owner_view = await conn.execute(
        text(
            f"SELECT organisation_id, count(*) FROM {table} "
            "WHERE organisation_id IN (:a, :b) GROUP BY organisation_id"
        ),
        {"a": tenants.a, "b": tenants.b},
    )
    if dict(owner_view.all()) != {tenants.a: 1, tenants.b: 1}:
        problems.append("the rows changed after the refused writes")
    return problems


async def test_the_catalogue_and_the_models_list_the_same_tenant_tables(
    owner: AsyncConnection,
) -> None:
    catalogue = list((await owner.execute(text(CATALOGUE_TENANT_TABLES))).scalars())
    assert catalogue == MODEL_TENANT_TABLES
    assert len(catalogue) >= 24


async def test_every_tenant_table_isolates_its_tenants(owner: AsyncConnection) -> None:
    tenants = Tenants(uuid.uuid4(), uuid.uuid4())
    await owner.execute(text("SET LOCAL session_replication_role = replica"))
    problems: dict[str, list[str]] = {}
    for table in (await owner.execute(text(CATALOGUE_TENANT_TABLES))).scalars():
        if found := await _sweep(owner, table, tenants):
            problems[table] = found
    assert problems == {}


async def test_an_office_sees_only_the_rows_addressed_to_it(owner: AsyncConnection) -> None:
    """Tables shared by a tenant and a bailiff office (`office_id`): the office's own only."""
    tenants = Tenants(uuid.uuid4(), uuid.uuid4())
    office_a, office_b = uuid.uuid4(), uuid.uuid4()
    await owner.execute(text("SET LOCAL session_replication_role = replica"))
    shared = (
        await owner.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                "AND a.attname = 'office_id' WHERE c.relname = ANY(:tables) ORDER BY 1"
            ),
            {"tables": MODEL_TENANT_TABLES},
        )
    ).scalars()
    seen = {}
    for table in shared:
        await _insert(owner, table, tenants.a, office_a)
        await _insert(owner, table, tenants.b, office_b)
        seen[table] = await _visible(owner, table, TenantScope(office_id=office_a))
    assert seen and all(rows == {tenants.a: 1} for rows in seen.values()), seen


async def test_the_application_role_cannot_bypass_row_level_security(database: Database) -> None:
    async with database.unit_of_work() as session:
        row = (
            await session.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
    assert tuple(row) == (False, False)


async def test_without_a_tenant_only_the_public_directory_of_organisations_shows(
    database: Database,
) -> None:
    made = await make_organisation(database)
    async with database.unit_of_work() as session:
        kinds = await session.execute(text("SELECT DISTINCT kind FROM organisations"))
        mine = await session.execute(
            text("SELECT count(*) FROM organisations WHERE id = :o"), {"o": made.organisation_id}
        )
        assert set(kinds.scalars()) <= {"BAILIFF_OFFICE"}
        assert mine.scalar_one() == 0


async def test_the_audit_log_cannot_be_edited(database: Database) -> None:
    a = await make_organisation(database)
    scope = TenantScope(organisation_id=a.organisation_id)
    async with database.unit_of_work(scope) as s:
        before = (await s.execute(text("SELECT action FROM audit_events ORDER BY 1"))).all()
    assert before  # signing up is audited

    with refused(INSUFFICIENT_PRIVILEGE):
        async with database.unit_of_work(scope) as s:
            await s.execute(text("UPDATE audit_events SET action = 'X'"))

    async with database.unit_of_work(scope) as s:
        assert (await s.execute(text("SELECT action FROM audit_events ORDER BY 1"))).all() == before
