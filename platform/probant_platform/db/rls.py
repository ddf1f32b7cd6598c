"""Row-level-security statements for migrations: fail closed when no tenant is set."""

from __future__ import annotations

CURRENT_TENANT = "NULLIF(current_setting('probant.tenant_id', true), '')::uuid"
CURRENT_USER_ID = "NULLIF(current_setting('probant.user_id', true), '')::uuid"
CURRENT_OFFICE = "NULLIF(current_setting('probant.office_id', true), '')::uuid"


def tenant_isolation(table: str, *, column: str = "organisation_id") -> list[str]:
    """Statements that restrict `table` to the rows of the transaction's tenant."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({column} = {CURRENT_TENANT}) WITH CHECK ({column} = {CURRENT_TENANT})",
    ]


def drop_tenant_isolation(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def append_only(table: str) -> list[str]:
    """Statements that make `table` insert-only for everyone, the owner included."""
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION probant_forbid_change()",
    ]


FORBID_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION probant_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
"""
