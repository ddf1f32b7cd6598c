"""integrity: RFC 3161 timestamp tokens over batch roots

Revision ID: 0880_long_term_proof
Revises: 0850_partners
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0880_long_term_proof"
down_revision: str | Sequence[str] | None = "0850_partners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integrity_batch_timestamps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("development", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["integrity_batches.id"],
            name=op.f("fk_integrity_batch_timestamps_batch_id_integrity_batches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_batch_timestamps")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_integrity_batch_timestamps_batch_id")),
    )


def downgrade() -> None:
    op.drop_table("integrity_batch_timestamps")
