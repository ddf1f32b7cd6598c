"""ledger: only the ledger's own functions write it (no direct writes by the application role)

Revision ID: 0990_ledger_write_lock
Revises: 0980_root_retimestamp
Create Date: 2026-12-06 20:10:00

The application role could write the ledger tables under its own tenant's scope: an
`UPDATE ledger_accounts SET balance = balance + 1000`, or a hand-written balanced transaction
with its entries, minted credits. Every write now goes through a SECURITY DEFINER function
(`probant_ledger_record` for a transaction, `probant_ledger_account` to open an account),
which checks the tenant, the amount and the legs itself, and the application role keeps only
SELECT (under row-level security) on the three tables.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

from probant_platform.db.rls import CURRENT_TENANT
from probant_platform.db.roles import APP_ROLE

revision: str = "0990_ledger_write_lock"
down_revision: str | Sequence[str] | None = "0980_root_retimestamp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ledger_accounts", "ledger_transactions", "ledger_entries")
RECORD_SIGNATURE = (
    "probant_ledger_record(uuid, text, text, integer, text, uuid, text, uuid, text, text, uuid)"
)
ACCOUNT_SIGNATURE = "probant_ledger_account(uuid, text, uuid)"

# Checks shared by both functions: they run with the owner's rights, so they must refuse
# what row-level security and the caller's code used to refuse.
GUARD = f"""
  IF p_org IS NULL OR p_org IS DISTINCT FROM {CURRENT_TENANT} THEN
    RAISE EXCEPTION 'ledger write outside the current tenant' USING ERRCODE = '42501';
  END IF;
"""


def _member_guard(kind: str, member: str) -> str:
    return f"""
  IF ({kind} = 'MEMBER_WALLET') <> ({member} IS NOT NULL) OR ({member} IS NOT NULL AND NOT
      EXISTS (SELECT 1 FROM memberships m WHERE m.id = {member} AND m.organisation_id = p_org))
  THEN
    RAISE EXCEPTION 'ledger account of another tenant or malformed' USING ERRCODE = '22023';
  END IF;
"""


ACCOUNT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION probant_ledger_account(p_org uuid, p_kind text, p_member uuid)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_id uuid;
BEGIN
  {GUARD}
  {_member_guard("p_kind", "p_member")}
  INSERT INTO ledger_accounts (id, organisation_id, kind, membership_id, balance)
  VALUES (gen_random_uuid(), p_org, p_kind, p_member, 0)
  ON CONFLICT DO NOTHING;
  SELECT a.id INTO v_id FROM ledger_accounts a
   WHERE a.organisation_id = p_org AND a.kind = p_kind
     AND a.membership_id IS NOT DISTINCT FROM p_member;
  RETURN v_id;
END $$
"""


def _record_function() -> str:
    """The body of 0820, run with the owner's rights behind the checks above."""
    spec = importlib.util.spec_from_file_location(
        "ledger_lock_order_0820", Path(__file__).with_name("20261122_0820_ledger_lock_order.py")
    )
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    body: str = previous.FUNCTION
    header = "LANGUAGE plpgsql AS $$"
    assert body.count(header) == 1 and body.count("BEGIN\n  replayed := false;") == 1
    checks = (
        GUARD
        + """
  IF p_credits IS NULL OR p_credits <= 0 OR p_credits > 100000 THEN
    RAISE EXCEPTION 'ledger amount out of range' USING ERRCODE = '22023';
  END IF;
  IF p_source_kind = p_target_kind
     AND p_source_member IS NOT DISTINCT FROM p_target_member THEN
    RAISE EXCEPTION 'ledger transaction from an account to itself' USING ERRCODE = '22023';
  END IF;
"""
        + _member_guard("p_source_kind", "p_source_member")
        + _member_guard("p_target_kind", "p_target_member")
    )
    return body.replace(
        header, "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$"
    ).replace("BEGIN\n  replayed := false;", "BEGIN\n" + checks + "  replayed := false;")


def upgrade() -> None:
    op.execute(_record_function())
    op.execute(ACCOUNT_FUNCTION)
    for signature in (RECORD_SIGNATURE, ACCOUNT_SIGNATURE):
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP_ROLE}")
    for table in TABLES:
        op.execute(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON ledger_accounts TO {APP_ROLE}")
    op.execute(f"GRANT INSERT ON ledger_transactions, ledger_entries TO {APP_ROLE}")
    op.execute(f"DROP FUNCTION IF EXISTS {ACCOUNT_SIGNATURE}")
    op.execute(f"DROP FUNCTION IF EXISTS {RECORD_SIGNATURE}")
    spec = importlib.util.spec_from_file_location(
        "ledger_lock_order_0820", Path(__file__).with_name("20261122_0820_ledger_lock_order.py")
    )
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.FUNCTION)
    op.execute(f"GRANT EXECUTE ON FUNCTION {RECORD_SIGNATURE} TO {APP_ROLE}")
