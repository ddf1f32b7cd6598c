"""billing: the pricing rule of a plan

Revision ID: 0730_plan_pricing_rule
Revises: 0720_bailiffs
Create Date: 2026-11-23 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0730_plan_pricing_rule"
down_revision: str | Sequence[str] | None = "0720_bailiffs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "catalogue_products",
        sa.Column(
            "pricing_rule", sa.String(length=32), server_default="PER_DEPOSIT", nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("catalogue_products", "pricing_rule")
