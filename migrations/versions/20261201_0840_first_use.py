"""first use: signed documents registered by their SHA-256 for the public /verify page;
the language a deposit was sealed in

Revision ID: 0840_first_use
Revises: 0810_security_hardening
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.rls import append_only
from probant_platform.db.roles import APP_ROLE

revision: str = "0840_first_use"
down_revision: str | Sequence[str] | None = "0810_security_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The tenants holding drafts with no item whose capture sessions have all expired (and nothing
# else), so the expiry job can then work inside each tenant.
EMPTY_DRAFTS = """
CREATE FUNCTION probant_empty_drafts_due(p_at timestamptz)
RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT d.organisation_id FROM deposits d
   WHERE d.status = 'DRAFT'
     AND NOT EXISTS (SELECT 1 FROM evidence_items i WHERE i.deposit_id = d.id)
     AND NOT EXISTS (SELECT 1 FROM capture_sessions s
                      WHERE s.deposit_id = d.id AND s.expires_at > p_at)
$$"""


def upgrade() -> None:
    op.create_table(
        "published_documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("deposit_reference", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_published_documents")),
    )
    op.create_index(
        op.f("ix_published_documents_deposit_reference"),
        "published_documents",
        ["deposit_reference"],
        unique=False,
    )
    for statement in append_only("published_documents"):
        op.execute(statement)
    op.add_column("deposits", sa.Column("locale", sa.String(length=5), nullable=True))
    op.execute(EMPTY_DRAFTS)
    op.execute(f"GRANT EXECUTE ON FUNCTION probant_empty_drafts_due(timestamptz) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION probant_empty_drafts_due(timestamptz)")
    op.drop_column("deposits", "locale")
    op.drop_table("published_documents")
