"""operators: read every organisation's audit log and the offices members proposed

Revision ID: 0910_operator_console
Revises: 0870_commissaire_role
Create Date: 2026-12-06 18:50:00

The operator console lists the audit events of every organisation (the platform audit log)
and the office proposals of every tenant. Both tables stay tenant-isolated for everyone
else: these are extra read-only policies, granted through `probant_is_operator()` (which
trusts only `platform_operators`, written by the schema owner).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0910_operator_console"
down_revision: str | Sequence[str] | None = "0870_commissaire_role"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("audit_events", "office_proposals")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE POLICY operator_read ON {table} FOR SELECT USING (probant_is_operator())"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS operator_read ON {table}")
