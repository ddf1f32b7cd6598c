"""integrity: batches, anchors, certificates (placeholder filled by the integrity work)

Revision ID: 0710_integrity
Revises: 0700_billing
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

revision: str = "0710_integrity"
down_revision: str | Sequence[str] | None = "0700_billing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
