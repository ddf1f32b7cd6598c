"""bailiffs: the commissaire de justice holds the office's signing certificate

Revision ID: 0870_commissaire_role
Revises: 0880_long_term_proof
Create Date: 2026-12-01 22:30:00

The COMMISSAIRE role itself needs no schema change (roles are stored as strings and their
permissions are the enforcer's templates). Certificates issued before this revision were
issued to the office, not to a commissaire: they are re-issued at the next PV.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0870_commissaire_role"
down_revision: str | Sequence[str] | None = "0880_long_term_proof"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("office_certificates", sa.Column("holder_user_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("office_certificates", "holder_user_id")
