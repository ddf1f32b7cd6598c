"""first use, drafts: a capture session's deposit is created with its first item

The session announces the deposit's id and reference at start (`planned_deposit_id`,
`planned_reference`) and `deposit_id` stays NULL until the first staged item creates the
draft. The empty-drafts job also finds the tenants holding expired sessions that never
received an item.

Documents issued before `published_documents` (0840) are registered by a daily job
(`probant_platform.bailiffs.published_backfill`): `probant_unpublished_documents()` names
the tenants holding certified reports or office documents /verify does not know yet.

Revision ID: 0930_first_use_drafts
Revises: 0870_commissaire_role
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.roles import APP_ROLE

revision: str = "0930_first_use_drafts"
down_revision: str | Sequence[str] | None = "0910_operator_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_DRAFTS = """
CREATE OR REPLACE FUNCTION probant_empty_drafts_due(p_at timestamptz)
RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT d.organisation_id FROM deposits d
   WHERE d.status = 'DRAFT'
     AND NOT EXISTS (SELECT 1 FROM evidence_items i WHERE i.deposit_id = d.id)
     AND NOT EXISTS (SELECT 1 FROM capture_sessions s
                      WHERE s.deposit_id = d.id AND s.expires_at > p_at)
  UNION
  SELECT s.organisation_id FROM capture_sessions s
   WHERE s.deposit_id IS NULL AND s.expires_at <= p_at
$$"""

PREVIOUS_EMPTY_DRAFTS = """
CREATE OR REPLACE FUNCTION probant_empty_drafts_due(p_at timestamptz)
RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT d.organisation_id FROM deposits d
   WHERE d.status = 'DRAFT'
     AND NOT EXISTS (SELECT 1 FROM evidence_items i WHERE i.deposit_id = d.id)
     AND NOT EXISTS (SELECT 1 FROM capture_sessions s
                      WHERE s.deposit_id = d.id AND s.expires_at > p_at)
$$"""


UNPUBLISHED = """
CREATE FUNCTION probant_unpublished_documents()
RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.organisation_id FROM certificates c
   WHERE c.blob_key IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM published_documents p WHERE p.sha256 = c.pdf_sha256)
  UNION
  SELECT d.organisation_id FROM office_documents d
   WHERE NOT EXISTS (SELECT 1 FROM published_documents p WHERE p.sha256 = d.sha256)
$$"""


def upgrade() -> None:
    op.add_column("capture_sessions", sa.Column("planned_deposit_id", sa.Uuid(), nullable=True))
    op.add_column(
        "capture_sessions", sa.Column("planned_reference", sa.String(length=32), nullable=True)
    )
    op.alter_column("capture_sessions", "deposit_id", existing_type=sa.Uuid(), nullable=True)
    op.execute(EMPTY_DRAFTS)
    op.execute(UNPUBLISHED)
    op.execute(f"GRANT EXECUTE ON FUNCTION probant_unpublished_documents() TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION probant_unpublished_documents()")
    op.execute(PREVIOUS_EMPTY_DRAFTS)
    op.execute("DELETE FROM capture_sessions WHERE deposit_id IS NULL")
    op.alter_column("capture_sessions", "deposit_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_column("capture_sessions", "planned_reference")
    op.drop_column("capture_sessions", "planned_deposit_id")
