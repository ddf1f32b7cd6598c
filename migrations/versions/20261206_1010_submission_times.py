"""bailiffs: a submission is dated when it is made, and due within the review window

Revision ID: 1010_submission_times
Revises: 1000_review_check_as_owner
Create Date: 2026-12-06 22:10:00

The submission guard (0970) freezes a submission once written, but its insert took any
`submitted_at` and `due_at`: a tenant writing its own row could backdate it or put it at the
head of the office's queue (ordered by `due_at`) or far behind it. At insert, `submitted_at`
must now be the present (within five minutes of the transaction, for clock skew between the
application and the database) and `due_at` between 1 and 720 hours after it — the range of
`PROBANT_REVIEW_HOURS`.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "1010_submission_times"
down_revision: str | Sequence[str] | None = "1000_review_check_as_owner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE FUNCTION probant_submission_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.submitted_at IS NULL OR NEW.due_at IS NULL
     OR NEW.submitted_at < transaction_timestamp() - interval '5 minutes'
     OR NEW.submitted_at > clock_timestamp() + interval '5 minutes'
     OR NEW.due_at - NEW.submitted_at < interval '1 hour'
     OR NEW.due_at - NEW.submitted_at > interval '720 hours' THEN
    RAISE EXCEPTION 'a submission is dated when it is made: submitted now, due 1 to 720 hours '
      'later (submitted %, due %)', NEW.submitted_at, NEW.due_at
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$"""


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute(
        "CREATE TRIGGER submissions_times_on_insert BEFORE INSERT ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION probant_submission_times()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER submissions_times_on_insert ON submissions")
    op.execute("DROP FUNCTION probant_submission_times()")
