"""integrity: batch roots re-timestamped under a stronger hash; renewed PDFs published

Revision ID: 0980_root_retimestamp
Revises: 0970_submission_guard
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0980_root_retimestamp"
down_revision: str | Sequence[str] | None = "0970_submission_guard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "integrity_batch_retimestamps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hash_algorithm", sa.String(length=16), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("development", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["integrity_batches.id"],
            name=op.f("fk_integrity_batch_retimestamps_batch_id_integrity_batches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_batch_retimestamps")),
        sa.UniqueConstraint(
            "batch_id",
            "position",
            name=op.f("uq_integrity_batch_retimestamps_batch_id_position"),
        ),
    )

    op.add_column(
        "published_documents", sa.Column("renewal_of", sa.String(length=64), nullable=True)
    )
    op.add_column("published_documents", sa.Column("renewal", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("published_documents", "renewal")
    op.drop_column("published_documents", "renewal_of")
    op.drop_table("integrity_batch_retimestamps")
