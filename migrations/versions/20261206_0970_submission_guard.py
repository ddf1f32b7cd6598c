"""bailiffs: a submission exists only with its paid spend; after that, only its review moves

Revision ID: 0970_submission_guard
Revises: 0950_request_scope
Create Date: 2026-12-06 19:45:00

0940 ties a deposit's review status to a submission, but the tenant could write that
submission itself (the row-level security lets it insert its own rows) without paying, then
show its deposit as sent; and it could rewrite its submission afterwards (the office, the
names, the deadlines...). The database now refuses:

- a submission whose spend (ledger transaction `SPEND` keyed `submit:<deposit>`, of its
  `credits_spent`, debiting a wallet) was not written in the same database transaction —
  checked at commit, like 0940, because the two writes come in either order; a new
  submission also starts unreviewed (`SUBMITTED`, no claim, no decision, not refunded);
- any change to a submission by the tenant alone, and any change by its office but to the
  review columns (status, claim, decision, reason, comment, rejected items); `refunded`
  turns true only once the refund transaction `refund:<submission>` exists (the decision
  job, acting for both, writes both). Who the parties are stays `probant_keep_parties`'s
  (0720);
- deleting a submission while its deposit exists (the row would vanish from the office's
  queue, and its spend could pay for a second one).
"""

from collections.abc import Sequence

from alembic import op

from probant_platform.db.rls import CURRENT_OFFICE

revision: str = "0970_submission_guard"
down_revision: str | Sequence[str] | None = "0950_request_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns an office's review writes (bailiffs/review.py, refunds.py).
REVIEW_COLUMNS = (
    "status",
    "claimed_by_user_id",
    "claimed_by_name",
    "claimed_at",
    "decided_at",
    "decided_by_user_id",
    "decided_by_name",
    "reason",
    "comment",
    "rejected_item_ids",
    "refunded",
)
_REVIEW_ARRAY = "ARRAY[" + ", ".join(f"'{column}'" for column in REVIEW_COLUMNS) + "]"

# Checked at commit with whatever scope the transaction then has (a test's later unit of
# work, a rescoped session), so it reads the ledger as its owner: it only looks, for the
# submission's own organisation.
SUBMISSION_PAID = """
CREATE FUNCTION probant_submission_paid() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public SET row_security = off AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM ledger_transactions t
     WHERE t.organisation_id = NEW.organisation_id
       AND t.idempotency_key = 'submit:' || NEW.deposit_id
       AND t.kind = 'SPEND'
       AND t.credits = NEW.credits_spent
       AND t.created_at >= transaction_timestamp()
       AND EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                    WHERE e.transaction_id = t.id AND e.amount = -t.credits
                      AND a.kind IN ('ORGANISATION_WALLET', 'MEMBER_WALLET'))) THEN
    RAISE EXCEPTION 'submission % of deposit % is not paid: a submission is created only with '
      'its spend of % credits in the same transaction', NEW.id, NEW.deposit_id,
      NEW.credits_spent USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$"""

SUBMISSION_GUARD = f"""
CREATE FUNCTION probant_submission_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text[];
  refused text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'SUBMITTED' OR NEW.claimed_by_user_id IS NOT NULL
       OR NEW.claimed_by_name IS NOT NULL OR NEW.claimed_at IS NOT NULL
       OR NEW.decided_at IS NOT NULL OR NEW.decided_by_user_id IS NOT NULL
       OR NEW.decided_by_name IS NOT NULL OR NEW.reason IS NOT NULL OR NEW.comment <> ''
       OR NEW.rejected_item_ids::jsonb <> '[]'::jsonb OR NEW.refunded THEN
      RAISE EXCEPTION 'a new submission starts unreviewed: SUBMITTED, with no claim, '
        'decision or refund' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM deposits WHERE id = OLD.deposit_id) THEN
      RAISE EXCEPTION 'submission % cannot be deleted: it stays with its deposit', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  SELECT coalesce(array_agg(n.key ORDER BY n.key), ARRAY[]::text[]) INTO changed
    FROM jsonb_each(to_jsonb(NEW)) n WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
  IF cardinality(changed) = 0 THEN
    RETURN NEW;
  END IF;
  IF OLD.office_id IS DISTINCT FROM {CURRENT_OFFICE} THEN
    RAISE EXCEPTION 'submission % cannot change (%): only its office reviews it', OLD.id,
      array_to_string(changed, ', ') USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT coalesce(array_agg(c), ARRAY[]::text[]) INTO refused
    FROM unnest(changed) c WHERE c <> ALL ({_REVIEW_ARRAY});
  IF cardinality(refused) > 0 THEN
    RAISE EXCEPTION 'submission % cannot change (%): an office changes only its review',
      OLD.id, array_to_string(refused, ', ') USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.refunded IS DISTINCT FROM OLD.refunded AND (OLD.refunded OR NOT EXISTS (
       SELECT 1 FROM ledger_transactions t
        WHERE t.organisation_id = OLD.organisation_id
          AND t.idempotency_key = 'refund:' || OLD.id AND t.kind = 'REFUND')) THEN
    RAISE EXCEPTION 'submission % cannot change (refunded): it is refunded once, with its '
      'refund', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$"""


def upgrade() -> None:
    op.execute(SUBMISSION_PAID)
    op.execute(SUBMISSION_GUARD)
    op.execute(
        "CREATE CONSTRAINT TRIGGER submissions_paid AFTER INSERT ON submissions "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION probant_submission_paid()"
    )
    # Named after `submissions_keep_parties` (0720), which therefore runs first and keeps its
    # message for a change of parties.
    op.execute(
        "CREATE TRIGGER submissions_review_only BEFORE INSERT OR UPDATE OR DELETE ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION probant_submission_guard()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER submissions_review_only ON submissions")
    op.execute("DROP TRIGGER submissions_paid ON submissions")
    op.execute("DROP FUNCTION probant_submission_guard()")
    op.execute("DROP FUNCTION probant_submission_paid()")
