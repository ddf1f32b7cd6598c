"""security hardening: signed payment events acknowledged but not applied

Revision ID: 0810_security_hardening
Revises: 0800_sealed_evidence_frozen
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0810_security_hardening"
down_revision: str | Sequence[str] | None = "0800_sealed_evidence_frozen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ignored_payment_events",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ignored_payment_events")),
    )


def downgrade() -> None:
    op.drop_table("ignored_payment_events")
