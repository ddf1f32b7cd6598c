"""billing: stripe customers, webhook events, plans (placeholder filled by the credits/payments work)

Revision ID: 0700_billing
Revises: 0640_ledger_record_function
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

revision: str = "0700_billing"
down_revision: str | Sequence[str] | None = "0640_ledger_record_function"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
