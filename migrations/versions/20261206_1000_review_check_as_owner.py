"""evidence: the review-status check at commit reads as its owner, whatever the scope then

Revision ID: 1000_review_check_as_owner
Revises: 0990_ledger_write_lock
Create Date: 2026-12-06 22:00:00

`probant_review_matches_submission` (0940) runs at COMMIT, as the invoker, under whatever
tenant scope the transaction has by then. A transaction that moved a deposit to SUBMITTED
and then changed its settings (another tenant's scope, or none) before committing made the
check see no deposit, and pass. The check now reads as its owner with row security off, like
the submission's payment check (0970): it only looks, at the one deposit and its submission.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "1000_review_check_as_owner"
down_revision: str | Sequence[str] | None = "0990_ledger_write_lock"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "probant_review_matches_submission(uuid)"


def upgrade() -> None:
    op.execute(
        f"ALTER FUNCTION {SIGNATURE} SECURITY DEFINER SET search_path = public "
        "SET row_security = off"
    )


def downgrade() -> None:
    op.execute(f"ALTER FUNCTION {SIGNATURE} SECURITY INVOKER RESET search_path RESET row_security")
