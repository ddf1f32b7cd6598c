"""Directly in SQL as the application role: no tenant setting, no tenant rows; A never sees B."""

from __future__ import annotations

from sqlalchemy import text
from tests.factories import Role, add_member, make_organisation

from probant_platform.db import Database, TenantScope
from probant_platform.models import metadata

TENANT_TABLES = sorted(t.name for t in metadata.sorted_tables if "organisation_id" in t.c)


async def _count(database: Database, table: str, scope: TenantScope) -> int:
    async with database.unit_of_work(scope) as session:
        return (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()


async def test_the_application_role_cannot_bypass_row_level_security(database: Database) -> None:
    async with database.unit_of_work() as session:
        row = (
            await session.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
    assert tuple(row) == (False, False)


async def test_without_a_tenant_no_tenant_row_is_visible(database: Database) -> None:
    await make_organisation(database)
    for table in [*TENANT_TABLES, "organisations"]:
        visible = await _count(database, table, TenantScope())
        if table == "organisations":
            # only the public directory of bailiff offices is visible to everyone
            async with database.unit_of_work() as session:
                visible = (
                    await session.execute(
                        text("SELECT count(*) FROM organisations WHERE kind <> 'BAILIFF_OFFICE'")
                    )
                ).scalar_one()
        assert visible == 0, table


async def test_tenant_a_sees_none_of_tenant_b_rows(database: Database) -> None:
    a = await make_organisation(database)
    b = await make_organisation(database)
    await add_member(database, b, role=Role.COLLABORATOR)
    for table in TENANT_TABLES:
        async with database.unit_of_work(TenantScope(organisation_id=a.organisation_id)) as s:
            leaked = (
                await s.execute(
                    text(f"SELECT count(*) FROM {table} WHERE organisation_id = :b"),
                    {"b": b.organisation_id},
                )
            ).scalar_one()
        assert leaked == 0, table


async def test_a_tenant_cannot_write_rows_for_another(database: Database) -> None:
    a = await make_organisation(database)
    b = await make_organisation(database)
    scope = TenantScope(organisation_id=a.organisation_id)
    try:
        async with database.unit_of_work(scope) as s:
            await s.execute(
                text(
                    "INSERT INTO audit_events (organisation_id, action, details, created_at) "
                    "VALUES (:b, 'SIGN_IN', '{}', now())"
                ),
                {"b": b.organisation_id},
            )
    except Exception as exc:
        assert "row-level security" in str(exc)
    else:
        raise AssertionError("insert into another tenant was accepted")


async def test_the_audit_log_cannot_be_edited(database: Database) -> None:
    a = await make_organisation(database)
    scope = TenantScope(organisation_id=a.organisation_id)
    try:
        async with database.unit_of_work(scope) as s:
            await s.execute(text("UPDATE audit_events SET action = 'X'"))
    except Exception as exc:
        assert "permission denied" in str(exc) or "append-only" in str(exc)
    else:
        raise AssertionError("the audit log was edited")
