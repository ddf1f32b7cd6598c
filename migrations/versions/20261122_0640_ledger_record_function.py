"""ledger: one-statement balanced transaction (probant_ledger_record)

Revision ID: 0640_ledger_record_function
Revises: 0630_seat_limit
Create Date: 2026-11-22 10:00:00

A spend used to cost about ten round trips while the wallet's row lock was held; this
function does the same checks and writes server-side in one call, so the lock is held for
one statement and the commit. It runs with the caller's rights: row-level security and the
append-only triggers apply as before.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0640_ledger_record_function"
down_revision: str | Sequence[str] | None = "0630_seat_limit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION probant_ledger_record(
  p_org uuid, p_kind text, p_key text, p_credits integer,
  p_source_kind text, p_source_member uuid, p_target_kind text, p_target_member uuid,
  p_reference text, p_reason text, p_actor uuid,
  OUT transaction_id uuid, OUT replayed boolean, OUT existing_kind text,
  OUT existing_credits integer, OUT short_balance bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_wallet boolean := p_source_kind IN ('ORGANISATION_WALLET', 'MEMBER_WALLET');
  v_now timestamptz := clock_timestamp();
  v_source uuid;
  v_source_after bigint;
  v_target uuid;
  v_target_after bigint;
BEGIN
  replayed := false;
  -- The same key twice gives the first result, not a second effect.
  SELECT t.id, t.kind, t.credits INTO transaction_id, existing_kind, existing_credits
    FROM ledger_transactions t
   WHERE t.organisation_id = p_org AND t.idempotency_key = p_key;
  IF FOUND THEN
    replayed := true;
    RETURN;
  END IF;

  -- Debit first, conditionally: a wallet never goes below zero, and nothing is written
  -- when it would (the caller reports the balance it found).
  UPDATE ledger_accounts a SET balance = a.balance - p_credits
   WHERE a.organisation_id = p_org AND a.kind = p_source_kind
     AND a.membership_id IS NOT DISTINCT FROM p_source_member
     AND (NOT v_wallet OR a.balance >= p_credits)
  RETURNING a.id, a.balance INTO v_source, v_source_after;
  IF v_source IS NULL THEN
    IF v_wallet THEN
      SELECT a.balance INTO short_balance FROM ledger_accounts a
       WHERE a.organisation_id = p_org AND a.kind = p_source_kind
         AND a.membership_id IS NOT DISTINCT FROM p_source_member;
      short_balance := coalesce(short_balance, 0);
      RETURN;
    END IF;
    INSERT INTO ledger_accounts AS a (id, organisation_id, kind, membership_id, balance)
    VALUES (gen_random_uuid(), p_org, p_source_kind, p_source_member, -p_credits)
    ON CONFLICT (organisation_id, kind, membership_id)
      DO UPDATE SET balance = a.balance - p_credits
    RETURNING a.id, a.balance INTO v_source, v_source_after;
  END IF;

  INSERT INTO ledger_transactions AS t
    (id, organisation_id, kind, idempotency_key, credits, reference, reason,
     actor_user_id, created_at)
  VALUES (gen_random_uuid(), p_org, p_kind, p_key, p_credits, left(p_reference, 200),
          left(p_reason, 500), p_actor, v_now)
  ON CONFLICT (organisation_id, idempotency_key) DO NOTHING
  RETURNING t.id INTO transaction_id;
  IF transaction_id IS NULL THEN
    -- A concurrent writer with the same key committed first: undo our debit, return theirs.
    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = v_source;
    SELECT t.id, t.kind, t.credits INTO transaction_id, existing_kind, existing_credits
      FROM ledger_transactions t
     WHERE t.organisation_id = p_org AND t.idempotency_key = p_key;
    replayed := true;
    RETURN;
  END IF;

  INSERT INTO ledger_accounts AS a (id, organisation_id, kind, membership_id, balance)
  VALUES (gen_random_uuid(), p_org, p_target_kind, p_target_member, p_credits)
  ON CONFLICT (organisation_id, kind, membership_id)
    DO UPDATE SET balance = a.balance + p_credits
  RETURNING a.id, a.balance INTO v_target, v_target_after;

  INSERT INTO ledger_entries
    (organisation_id, transaction_id, account_id, amount, balance_after, created_at)
  VALUES (p_org, transaction_id, v_source, -p_credits, v_source_after, v_now),
         (p_org, transaction_id, v_target, p_credits, v_target_after, v_now);
END $$
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION IF EXISTS probant_ledger_record("
        "uuid, text, text, integer, text, uuid, text, uuid, text, text, uuid)"
    )
