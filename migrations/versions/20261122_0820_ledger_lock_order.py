"""ledger: lock both accounts of a transaction in one global order (probant_ledger_record)

Revision ID: 0820_ledger_lock_order
Revises: 0730_plan_pricing_rule
Create Date: 2026-12-01 21:40:00

The function of 0640 locked the source account by debiting it, then the target by crediting
it: a transfer (organisation → member) and a reclaim (member → organisation) running at once
took the same two rows in opposite orders and PostgreSQL broke the cycle with
`DeadlockDetected`. Both accounts are now upserted in one statement ordered by their unique
key (organisation, kind, member), which takes both row locks in that order before any
balance changes; every transaction locks in the same order, so no cycle can form.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0820_ledger_lock_order"
down_revision: str | Sequence[str] | None = "0730_plan_pricing_rule"
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
  v_source_before bigint;
  v_source_after bigint;
  v_target uuid;
  v_target_after bigint;
  v_row record;
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

  -- Both accounts, created when missing and row-locked, in the order of their unique key:
  -- the same order in every transaction, whatever its direction (no lock cycle).
  FOR v_row IN
    INSERT INTO ledger_accounts AS a (id, organisation_id, kind, membership_id, balance)
    SELECT gen_random_uuid(), p_org, v.kind, v.member, 0
      FROM (VALUES (p_source_kind, p_source_member), (p_target_kind, p_target_member))
           AS v(kind, member)
     ORDER BY v.kind, v.member NULLS FIRST
    ON CONFLICT (organisation_id, kind, membership_id) DO UPDATE SET balance = a.balance
    RETURNING a.id, a.kind, a.membership_id, a.balance
  LOOP
    IF v_row.kind = p_source_kind AND v_row.membership_id IS NOT DISTINCT FROM p_source_member
    THEN
      v_source := v_row.id;
      v_source_before := v_row.balance;
    ELSE
      v_target := v_row.id;
    END IF;
  END LOOP;

  -- A wallet never goes below zero; nothing is written when it would (the caller reports
  -- the balance it found).
  IF v_wallet AND v_source_before < p_credits THEN
    short_balance := v_source_before;
    RETURN;
  END IF;

  INSERT INTO ledger_transactions AS t
    (id, organisation_id, kind, idempotency_key, credits, reference, reason,
     actor_user_id, created_at)
  VALUES (gen_random_uuid(), p_org, p_kind, p_key, p_credits, left(p_reference, 200),
          left(p_reason, 500), p_actor, v_now)
  ON CONFLICT (organisation_id, idempotency_key) DO NOTHING
  RETURNING t.id INTO transaction_id;
  IF transaction_id IS NULL THEN
    -- A concurrent writer with the same key committed first: return its result.
    SELECT t.id, t.kind, t.credits INTO transaction_id, existing_kind, existing_credits
      FROM ledger_transactions t
     WHERE t.organisation_id = p_org AND t.idempotency_key = p_key;
    replayed := true;
    RETURN;
  END IF;

  UPDATE ledger_accounts SET balance = balance - p_credits WHERE id = v_source
  RETURNING balance INTO v_source_after;
  UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = v_target
  RETURNING balance INTO v_target_after;

  INSERT INTO ledger_entries
    (organisation_id, transaction_id, account_id, amount, balance_after, created_at)
  VALUES (p_org, transaction_id, v_source, -p_credits, v_source_after, v_now),
         (p_org, transaction_id, v_target, p_credits, v_target_after, v_now);
END $$
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    # The previous body, as 0640 wrote it (a migration never edits an older one).
    spec = importlib.util.spec_from_file_location(
        "ledger_record_0640", Path(__file__).with_name("20261122_0640_ledger_record_function.py")
    )
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.FUNCTION)
