"""integrity: Merkle batches, chain anchors, sealed records and certified reports

Revision ID: 0710_integrity
Revises: 0700_billing
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.rls import append_only, drop_tenant_isolation, tenant_isolation
from probant_platform.db.roles import APP_ROLE

revision: str = "0710_integrity"
down_revision: str | Sequence[str] | None = "0700_billing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A leaf's facts never change; it joins one batch once; its rounded place may only be erased
# (when its deposit is deleted). An anchor keeps its signed transaction for life.
GUARD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION probant_integrity_leaf_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR NEW.id <> OLD.id OR NEW.item_id <> OLD.item_id OR NEW.deposit_id <> OLD.deposit_id
     OR NEW.deposit_reference <> OLD.deposit_reference OR NEW.item_sha256 <> OLD.item_sha256
     OR NEW.record_sha256 <> OLD.record_sha256 OR NEW.sealed_at <> OLD.sealed_at
     OR NEW.joined_at <> OLD.joined_at
     OR (OLD.batch_id IS NOT NULL AND NEW.batch_id IS DISTINCT FROM OLD.batch_id)
     OR (OLD.leaf_index IS NOT NULL AND NEW.leaf_index IS DISTINCT FROM OLD.leaf_index)
     OR (NEW.approximate_latitude IS NOT NULL
         AND NEW.approximate_latitude IS DISTINCT FROM OLD.approximate_latitude)
     OR (NEW.approximate_longitude IS NOT NULL
         AND NEW.approximate_longitude IS DISTINCT FROM OLD.approximate_longitude)
  THEN
    RAISE EXCEPTION 'integrity leaves are immutable' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION probant_integrity_anchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR NEW.batch_id <> OLD.batch_id OR NEW.tx_hash <> OLD.tx_hash
     OR NEW.raw_transaction <> OLD.raw_transaction OR NEW.nonce <> OLD.nonce
     OR NEW.chain_id <> OLD.chain_id OR NEW.sender <> OLD.sender
  THEN
    RAISE EXCEPTION 'an anchor keeps its transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "integrity_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("previous_root", sa.String(length=64), nullable=False),
        sa.Column("leaf_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_batches")),
        sa.UniqueConstraint("root", name=op.f("uq_integrity_batches_root")),
        sa.UniqueConstraint("sequence", name=op.f("uq_integrity_batches_sequence")),
    )
    op.create_table(
        "integrity_anchors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("development", sa.Boolean(), nullable=False),
        sa.Column("sender", sa.String(length=42), nullable=False),
        sa.Column("nonce", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("raw_transaction", sa.LargeBinary(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "SIGNED", "SENT", "CONFIRMED", name="anchor_status", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("block_hash", sa.String(length=66), nullable=True),
        sa.Column("block_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmations", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["integrity_batches.id"],
            name=op.f("fk_integrity_anchors_batch_id_integrity_batches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_anchors")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_integrity_anchors_batch_id")),
        sa.UniqueConstraint("tx_hash", name=op.f("uq_integrity_anchors_tx_hash")),
    )
    op.create_table(
        "integrity_leaves",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("deposit_id", sa.Uuid(), nullable=False),
        sa.Column("deposit_reference", sa.String(length=32), nullable=False),
        sa.Column("item_sha256", sa.String(length=64), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approximate_latitude", sa.Float(), nullable=True),
        sa.Column("approximate_longitude", sa.Float(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("leaf_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["integrity_batches.id"],
            name=op.f("fk_integrity_leaves_batch_id_integrity_batches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_leaves")),
        sa.UniqueConstraint("item_id", name=op.f("uq_integrity_leaves_item_id")),
    )
    op.create_index(
        op.f("ix_integrity_leaves_batch_id"), "integrity_leaves", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_integrity_leaves_deposit_id"), "integrity_leaves", ["deposit_id"], unique=False
    )
    op.create_index(
        op.f("ix_integrity_leaves_deposit_reference"),
        "integrity_leaves",
        ["deposit_reference"],
        unique=False,
    )
    op.create_index(
        op.f("ix_integrity_leaves_item_sha256"), "integrity_leaves", ["item_sha256"], unique=False
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deposit_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deposit_id"],
            ["deposits.id"],
            name=op.f("fk_certificates_deposit_id_deposits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_certificates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("deposit_id", name=op.f("uq_certificates_deposit_id")),
    )
    op.create_index(
        op.f("ix_certificates_organisation_id"), "certificates", ["organisation_id"], unique=False
    )
    op.create_table(
        "sealed_records",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("deposit_id", sa.Uuid(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deposit_id"],
            ["deposits.id"],
            name=op.f("fk_sealed_records_deposit_id_deposits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_items.id"],
            name=op.f("fk_sealed_records_item_id_evidence_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sealed_records_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_sealed_records")),
    )
    op.create_index(
        op.f("ix_sealed_records_deposit_id"), "sealed_records", ["deposit_id"], unique=False
    )
    op.create_index(
        op.f("ix_sealed_records_organisation_id"),
        "sealed_records",
        ["organisation_id"],
        unique=False,
    )
    for table in ("sealed_records", "certificates"):
        for statement in tenant_isolation(table):
            op.execute(statement)
    # Platform-wide tables: a batch mixes every tenant's items; nothing here names anyone.
    for statement in append_only("integrity_batches"):
        op.execute(statement)
    op.execute(GUARD_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER integrity_leaves_guard BEFORE UPDATE OR DELETE ON integrity_leaves "
        "FOR EACH ROW EXECUTE FUNCTION probant_integrity_leaf_guard()"
    )
    op.execute(
        "CREATE TRIGGER integrity_anchors_guard BEFORE UPDATE OR DELETE ON integrity_anchors "
        "FOR EACH ROW EXECUTE FUNCTION probant_integrity_anchor_guard()"
    )
    for table in ("integrity_batches", "integrity_leaves", "integrity_anchors"):
        op.execute(f"REVOKE DELETE ON {table} FROM {APP_ROLE}")
    op.execute(f"REVOKE UPDATE ON integrity_batches FROM {APP_ROLE}")
    # Once a batch is anchored, each of its deposits gets its report: the anchoring job, which
    # acts for no tenant, learns which deposits (and tenants) those are, and nothing more.
    op.execute("""
        CREATE FUNCTION probant_batch_deposits(p_batch uuid)
        RETURNS TABLE (organisation_id uuid, deposit_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT DISTINCT r.organisation_id, r.deposit_id
          FROM sealed_records r JOIN integrity_leaves l ON l.item_id = r.item_id
          WHERE l.batch_id = p_batch
        $$""")
    op.execute("REVOKE ALL ON FUNCTION probant_batch_deposits(uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION probant_batch_deposits(uuid) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS integrity_anchors_guard ON integrity_anchors")
    op.execute("DROP TRIGGER IF EXISTS integrity_leaves_guard ON integrity_leaves")
    op.execute("DROP TRIGGER IF EXISTS integrity_batches_append_only ON integrity_batches")
    op.execute("DROP FUNCTION IF EXISTS probant_batch_deposits(uuid)")
    op.execute("DROP FUNCTION IF EXISTS probant_integrity_leaf_guard()")
    op.execute("DROP FUNCTION IF EXISTS probant_integrity_anchor_guard()")
    for table in ("sealed_records", "certificates"):
        for statement in drop_tenant_isolation(table):
            op.execute(statement)
    op.drop_index(op.f("ix_sealed_records_organisation_id"), table_name="sealed_records")
    op.drop_index(op.f("ix_sealed_records_deposit_id"), table_name="sealed_records")
    op.drop_table("sealed_records")
    op.drop_index(op.f("ix_certificates_organisation_id"), table_name="certificates")
    op.drop_table("certificates")
    op.drop_index(op.f("ix_integrity_leaves_item_sha256"), table_name="integrity_leaves")
    op.drop_index(op.f("ix_integrity_leaves_deposit_reference"), table_name="integrity_leaves")
    op.drop_index(op.f("ix_integrity_leaves_deposit_id"), table_name="integrity_leaves")
    op.drop_index(op.f("ix_integrity_leaves_batch_id"), table_name="integrity_leaves")
    op.drop_table("integrity_leaves")
    op.drop_table("integrity_anchors")
    op.drop_table("integrity_batches")
