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


def tenant_and_office(table: str) -> list[str]:
    """Rows a tenant addresses to a bailiff office (`organisation_id`, `office_id`): the tenant
    and the office's staff read and update them; only the tenant inserts or deletes them."""
    both = f"(organisation_id = {CURRENT_TENANT} OR office_id = {CURRENT_OFFICE})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_or_office_read ON {table} FOR SELECT USING {both}",
        f"CREATE POLICY tenant_or_office_update ON {table} FOR UPDATE USING {both} "
        f"WITH CHECK {both}",
        f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
        f"WITH CHECK (organisation_id = {CURRENT_TENANT})",
        f"CREATE POLICY tenant_delete ON {table} FOR DELETE "
        f"USING (organisation_id = {CURRENT_TENANT})",
    ]


def office_review(table: str, *, deposit_column: str, update: bool = False) -> list[str]:
    """Extra policies on a tenant table: the office a deposit was submitted to, or that was
    paid to convert it into a PV, reads it (and, with `update`, may update it — a trigger
    then limits what may change)."""
    deposit = f"{table}.{deposit_column}"
    submitted = (
        f"EXISTS (SELECT 1 FROM submissions s "  # noqa: S608
        f"WHERE s.deposit_id = {deposit} AND s.office_id = {CURRENT_OFFICE})"
    )
    ordered = (
        f"EXISTS (SELECT 1 FROM constat_orders c WHERE c.deposit_id = {deposit} "  # noqa: S608
        f"AND c.office_id = {CURRENT_OFFICE} AND c.status IN ('AWAITING_VALIDATION', 'ISSUED'))"
    )
    office_set = f"{CURRENT_OFFICE} IS NOT NULL"
    statements = [
        f"CREATE POLICY office_review ON {table} FOR SELECT "
        f"USING ({office_set} AND ({submitted} OR {ordered}))"
    ]
    if update:
        statements.append(
            f"CREATE POLICY office_review_update ON {table} FOR UPDATE "
            f"USING ({office_set} AND {submitted}) WITH CHECK ({office_set} AND {submitted})"
        )
    return statements


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
