"""evidence: sealed deposits frozen by the database; shared blobs collected, never tenant-deleted

Revision ID: 0800_sealed_evidence_frozen
Revises: 0820_ledger_lock_order
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.rls import CURRENT_TENANT
from probant_platform.db.roles import APP_ROLE

revision: str = "0800_sealed_evidence_frozen"
down_revision: str | Sequence[str] | None = "0820_ledger_lock_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSE = "USING ERRCODE = 'insufficient_privilege'"

# A sealed deposit has one way out: the tombstone, which erases personal data, keeps
# everything that proves (reference, times, hashes) and never changes again. While sealed,
# only the review status moves, one step at a time: the author sends it to an office, the
# office (acting under its own settings, not the tenant's) claims, releases and decides.
DEPOSIT_FROZEN = f"""
CREATE FUNCTION probant_deposit_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  personal text[] := ARRAY['title', 'street', 'postcode', 'city', 'floor', 'flat', 'building',
                           'address_details', 'description', 'signature_name', 'signature_png'];
  kept_by_tombstone jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'DRAFT' THEN
      RAISE EXCEPTION 'deposit % must be created as a draft and sealed afterwards', NEW.id
        {REFUSE};
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status = 'DRAFT' THEN
    IF TG_OP = 'UPDATE' AND NEW.status <> 'DRAFT'
       AND NOT (NEW.status = 'SEALED' AND NEW.sealed_at IS NOT NULL) THEN
      RAISE EXCEPTION 'draft deposit % can only be sealed', OLD.id {REFUSE};
    END IF;
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'sealed deposit % cannot be deleted: deletion leaves a tombstone', OLD.id
      {REFUSE};
  END IF;
  IF OLD.status = 'DELETED' THEN
    RAISE EXCEPTION 'deposit % is a tombstone: it can never change', OLD.id {REFUSE};
  END IF;
  IF NEW.status = 'DELETED' THEN
    kept_by_tombstone := to_jsonb(OLD) - personal - 'status' - 'deleted_at';
    IF NEW.deleted_at IS NULL OR NEW.signature_name IS NOT NULL OR NEW.signature_png IS NOT NULL
       OR concat(NEW.title, NEW.street, NEW.postcode, NEW.city, NEW.floor, NEW.flat,
                 NEW.building, NEW.address_details, NEW.description) <> ''
       OR to_jsonb(NEW) - personal - 'status' - 'deleted_at' <> kept_by_tombstone THEN
      RAISE EXCEPTION 'sealed deposit % can only become a tombstone that erases its personal '
        'data and keeps the rest', OLD.id {REFUSE};
    END IF;
    RETURN NEW;
  END IF;
  IF to_jsonb(NEW) - 'status' <> to_jsonb(OLD) - 'status' THEN
    RAISE EXCEPTION 'sealed deposit % cannot change', OLD.id {REFUSE};
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.organisation_id = {CURRENT_TENANT}
        AND OLD.status = 'SEALED' AND NEW.status = 'SUBMITTED')
    OR (OLD.organisation_id IS DISTINCT FROM {CURRENT_TENANT} AND (
          (OLD.status = 'SUBMITTED' AND NEW.status = 'IN_REVIEW')
       OR (OLD.status = 'IN_REVIEW' AND NEW.status = 'SUBMITTED')
       OR (OLD.status IN ('SUBMITTED', 'IN_REVIEW') AND NEW.status IN ('ACCEPTED', 'REJECTED'))))
  ) THEN
    RAISE EXCEPTION 'sealed deposit % cannot go from % to %', OLD.id, OLD.status, NEW.status
      {REFUSE};
  END IF;
  RETURN NEW;
END $$"""

# Items follow their deposit. The deposit is looked up with the owner's rights so that an
# item cannot be slipped into a deposit the writer cannot see (another tenant's).
ITEM_FROZEN = f"""
CREATE OR REPLACE FUNCTION probant_sealed_item_frozen() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
  erasable text[] := ARRAY['comment', 'blob_key', 'thumbnail_key', 'user_agent', 'latitude',
                           'longitude', 'accuracy_meters'];
  was text;
  target_status text;
  target_organisation uuid;
  field text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT status INTO was FROM deposits WHERE id = OLD.deposit_id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- No deposit row: it is being deleted, which its own trigger allows for drafts only.
    IF was IS NOT NULL AND was <> 'DRAFT' THEN
      RAISE EXCEPTION 'evidence item % belongs to a sealed deposit: it cannot be deleted',
        OLD.id {REFUSE};
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.deposit_id IS DISTINCT FROM OLD.deposit_id THEN
    SELECT status, organisation_id INTO target_status, target_organisation
      FROM deposits WHERE id = NEW.deposit_id;
    IF target_status IS DISTINCT FROM 'DRAFT'
       OR target_organisation IS DISTINCT FROM NEW.organisation_id
       OR (TG_OP = 'UPDATE' AND was IS DISTINCT FROM 'DRAFT') THEN
      RAISE EXCEPTION 'evidence item % may only enter or leave a draft of its organisation, '
        'never a sealed deposit', NEW.id {REFUSE};
    END IF;
    RETURN NEW;
  END IF;
  IF was = 'DRAFT' OR to_jsonb(NEW) = to_jsonb(OLD) THEN
    RETURN NEW;
  END IF;
  IF was = 'DELETED' THEN
    FOREACH field IN ARRAY erasable LOOP
      IF to_jsonb(NEW) ->> field IS DISTINCT FROM to_jsonb(OLD) ->> field
         AND coalesce(to_jsonb(NEW) ->> field, '') <> '' THEN
        RAISE EXCEPTION 'evidence item % belongs to a tombstone: it can only lose personal data',
          OLD.id {REFUSE};
      END IF;
    END LOOP;
    IF to_jsonb(NEW) - erasable <> to_jsonb(OLD) - erasable THEN
      RAISE EXCEPTION 'evidence item % belongs to a tombstone: it can only lose personal data',
        OLD.id {REFUSE};
    END IF;
    RETURN NEW;
  ELSIF was IS NOT NULL AND OLD.thumbnail_key IS NULL
        AND to_jsonb(NEW) - 'thumbnail_key' = to_jsonb(OLD) - 'thumbnail_key' THEN
    -- The preview of an item sealed before its preview job ran: derived, set once.
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'evidence item % belongs to a sealed deposit: it cannot change', OLD.id
    {REFUSE};
END $$"""

# The previous item trigger (revision 0500), restored by downgrade.
ITEM_FROZEN_0500 = """
CREATE OR REPLACE FUNCTION probant_sealed_item_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM deposits d WHERE d.id = OLD.deposit_id
             AND d.status NOT IN ('DRAFT', 'DELETED')) THEN
    IF TG_OP = 'DELETE' OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.size IS DISTINCT FROM OLD.size OR NEW.captured_at <> OLD.captured_at
       OR NEW.received_at IS DISTINCT FROM OLD.received_at
       OR NEW.latitude IS DISTINCT FROM OLD.latitude
       OR NEW.longitude IS DISTINCT FROM OLD.longitude
       OR NEW.comment <> OLD.comment THEN
      RAISE EXCEPTION 'evidence item % belongs to a sealed deposit', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN COALESCE(NEW, OLD);
END $$"""

# Blobs are addressed by content and shared by every tenant that stored the same bytes, so
# "is it still used?" must be asked of every tenant at once: these functions run with the
# owner's rights. `row_security = off` makes them fail loudly rather than answer "unused"
# should the owner ever be subject to row-level security.
BLOB_LOCK = "hashtextextended(p_key, 800)"
BLOB_FUNCTIONS = {
    "probant_blob_referenced(p_key text)": """
    RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public SET row_security = off AS $$
      SELECT EXISTS (SELECT 1 FROM evidence_items WHERE blob_key = p_key)
          OR EXISTS (SELECT 1 FROM evidence_items WHERE thumbnail_key = p_key)
          OR EXISTS (SELECT 1 FROM evidence_items WHERE status = 'STAGED'
                     AND declared_sha256 = regexp_replace(p_key, '^.*/', ''))
          OR EXISTS (SELECT 1 FROM certificates WHERE blob_key = p_key)
          OR EXISTS (SELECT 1 FROM office_documents WHERE blob_key = p_key)
    $$""",
    "probant_release_blobs(p_keys text[])": """
    RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
      INSERT INTO released_blobs (key, released_at)
      SELECT DISTINCT k, now() FROM unnest(p_keys) AS k WHERE k IS NOT NULL AND k <> ''
      ON CONFLICT (key) DO UPDATE SET released_at = excluded.released_at
    $$""",
    "probant_blobs_due(p_before timestamptz, p_limit integer)": """
    RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT key FROM released_blobs WHERE released_at <= p_before
      ORDER BY released_at LIMIT p_limit
    $$""",
    "probant_collect_blob(p_key text, p_before timestamptz)": f"""
    RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public SET row_security = off AS $$
    BEGIN
      -- Held until commit: a writer that re-references the key waits, then finds it gone.
      PERFORM pg_advisory_xact_lock({BLOB_LOCK});
      DELETE FROM released_blobs WHERE key = p_key AND released_at <= p_before;
      RETURN FOUND AND NOT probant_blob_referenced(p_key);
    END $$""",
    "probant_hold_blob(p_key text)": f"""
    RETURNS void LANGUAGE sql VOLATILE AS $$
      SELECT pg_advisory_xact_lock_shared({BLOB_LOCK})
    $$""",
}


def upgrade() -> None:
    op.create_table(
        "released_blobs",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_released_blobs")),
    )
    op.execute(f"REVOKE ALL ON released_blobs FROM {APP_ROLE}")
    op.create_index("ix_evidence_items_blob_key", "evidence_items", ["blob_key"], unique=False)
    op.create_index(
        "ix_evidence_items_declared_sha256", "evidence_items", ["declared_sha256"], unique=False
    )
    op.create_index(
        "ix_evidence_items_thumbnail_key", "evidence_items", ["thumbnail_key"], unique=False
    )
    for signature, body in BLOB_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {signature} {body}")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP_ROLE}")

    op.execute(DEPOSIT_FROZEN)
    op.execute(
        "CREATE TRIGGER deposits_sealed_frozen BEFORE INSERT OR UPDATE OR DELETE ON deposits "
        "FOR EACH ROW EXECUTE FUNCTION probant_deposit_frozen()"
    )
    op.execute("DROP TRIGGER evidence_items_sealed_frozen ON evidence_items")
    op.execute(ITEM_FROZEN)
    op.execute("REVOKE ALL ON FUNCTION probant_sealed_item_frozen() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER evidence_items_sealed_frozen "
        "BEFORE INSERT OR UPDATE OR DELETE ON evidence_items "
        "FOR EACH ROW EXECUTE FUNCTION probant_sealed_item_frozen()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER evidence_items_sealed_frozen ON evidence_items")
    op.execute(ITEM_FROZEN_0500)
    op.execute(
        "CREATE TRIGGER evidence_items_sealed_frozen BEFORE UPDATE OR DELETE ON evidence_items "
        "FOR EACH ROW EXECUTE FUNCTION probant_sealed_item_frozen()"
    )
    op.execute("DROP TRIGGER deposits_sealed_frozen ON deposits")
    op.execute("DROP FUNCTION probant_deposit_frozen()")
    for signature in BLOB_FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature}")
    op.drop_index("ix_evidence_items_thumbnail_key", table_name="evidence_items")
    op.drop_index("ix_evidence_items_declared_sha256", table_name="evidence_items")
    op.drop_index("ix_evidence_items_blob_key", table_name="evidence_items")
    op.drop_table("released_blobs")
