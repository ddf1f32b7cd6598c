"""bailiffs: offices, submissions, reviews, constats (placeholder filled by the bailiff work)

Revision ID: 0720_bailiffs
Revises: 0710_integrity
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

revision: str = "0720_bailiffs"
down_revision: str | Sequence[str] | None = "0710_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
