"""evidence: a deposit's review status moves only with its submission; archived PDF versions

Revision ID: 0940_renewal_and_review_guard
Revises: 0870_commissaire_role
Create Date: 2026-12-06 18:45:00

The frozen-deposit trigger (0800) lets the owning tenant move a sealed deposit to
SUBMITTED, and an office move it through the review: but nothing tied that status to a
submission, so a tenant could show "sent to a bailiff" on a deposit no office ever received.
At commit, a deposit and its submission must now agree: a review status (SUBMITTED,
IN_REVIEW, ACCEPTED, REJECTED) exists only with a submission row in the same state
(PARTIALLY_ACCEPTED shows as ACCEPTED), and a submission's state is the deposit's unless
the deposit became a tombstone. Checked at commit because the application writes the two
rows in either order within one transaction.

`pdf_versions` keeps every version of a signed PDF that the B-LTA renewal job extends
(version 0 is the PDF as signed); its blobs count as referenced for the blob collector.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.rls import drop_tenant_isolation, tenant_isolation
from probant_platform.db.roles import APP_ROLE

revision: str = "0940_renewal_and_review_guard"
down_revision: str | Sequence[str] | None = "0930_first_use_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_MATCHES = """
CREATE FUNCTION probant_review_matches_submission(p_deposit uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  deposit_status text;
  submission_status text;
BEGIN
  SELECT status INTO deposit_status FROM deposits WHERE id = p_deposit;
  IF NOT FOUND OR deposit_status = 'DELETED' THEN
    RETURN;
  END IF;
  SELECT CASE status WHEN 'PARTIALLY_ACCEPTED' THEN 'ACCEPTED' ELSE status END
    INTO submission_status FROM submissions WHERE deposit_id = p_deposit;
  IF submission_status IS NULL THEN
    IF deposit_status IN ('SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REJECTED') THEN
      RAISE EXCEPTION 'deposit % cannot be % without a submission to an office', p_deposit,
        deposit_status USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF submission_status <> deposit_status THEN
    RAISE EXCEPTION 'deposit % is % but its submission is %: the review status moves with '
      'the submission', p_deposit, deposit_status, submission_status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$"""

DEPOSIT_SIDE = """
CREATE FUNCTION probant_deposit_review_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM probant_review_matches_submission(NEW.id);
  RETURN NULL;
END $$"""

SUBMISSION_SIDE = """
CREATE FUNCTION probant_submission_review_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM probant_review_matches_submission(NEW.deposit_id);
  IF TG_OP = 'UPDATE' AND NEW.deposit_id IS DISTINCT FROM OLD.deposit_id THEN
    PERFORM probant_review_matches_submission(OLD.deposit_id);
  END IF;
  RETURN NULL;
END $$"""


# The blob collector's "is it used?" (0800) also asks the archived PDF versions.
BLOB_REFERENCED = """
CREATE OR REPLACE FUNCTION probant_blob_referenced(p_key text)
    RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public SET row_security = off AS $$
      SELECT EXISTS (SELECT 1 FROM evidence_items WHERE blob_key = p_key)
          OR EXISTS (SELECT 1 FROM evidence_items WHERE thumbnail_key = p_key)
          OR EXISTS (SELECT 1 FROM evidence_items WHERE status = 'STAGED'
                     AND declared_sha256 = regexp_replace(p_key, '^.*/', ''))
          OR EXISTS (SELECT 1 FROM certificates WHERE blob_key = p_key)
          OR EXISTS (SELECT 1 FROM office_documents WHERE blob_key = p_key){extra}
    $$"""
VERSIONS_REFERENCE = "\n          OR EXISTS (SELECT 1 FROM pdf_versions WHERE blob_key = p_key)"

# Which tenants hold a signed PDF the renewal job must look at: one never measured (no
# version 0 yet) or whose newest version's timestamp expires before `p_before`.
PDFS_DUE = """
CREATE FUNCTION probant_pdf_renewals_due(p_before timestamptz, p_limit integer)
    RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public SET row_security = off AS $$
      SELECT organisation_id FROM (
        SELECT c.organisation_id FROM certificates c
         WHERE c.blob_key IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM pdf_versions v WHERE v.certificate_id = c.id)
        UNION
        SELECT d.organisation_id FROM office_documents d
         WHERE NOT EXISTS (SELECT 1 FROM pdf_versions v WHERE v.office_document_id = d.id)
        UNION
        SELECT v.organisation_id FROM pdf_versions v
         WHERE v.valid_until <= p_before
           AND NOT EXISTS (SELECT 1 FROM pdf_versions w
                           WHERE w.version > v.version
                             AND (w.certificate_id = v.certificate_id
                                  OR w.office_document_id = v.office_document_id))
      ) due LIMIT p_limit
    $$"""


def upgrade() -> None:
    op.create_table(
        "pdf_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=True),
        sa.Column("office_document_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_pdf_versions_certificate_id_certificates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_document_id"],
            ["office_documents.id"],
            name=op.f("fk_pdf_versions_office_document_id_office_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pdf_versions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pdf_versions")),
        sa.UniqueConstraint(
            "certificate_id", "version", name=op.f("uq_pdf_versions_certificate_id_version")
        ),
        sa.UniqueConstraint(
            "office_document_id",
            "version",
            name=op.f("uq_pdf_versions_office_document_id_version"),
        ),
    )
    op.create_index(
        op.f("ix_pdf_versions_organisation_id"), "pdf_versions", ["organisation_id"], unique=False
    )
    for statement in tenant_isolation("pdf_versions"):
        op.execute(statement)
    op.execute(BLOB_REFERENCED.format(extra=VERSIONS_REFERENCE))
    op.execute(PDFS_DUE)
    op.execute("REVOKE ALL ON FUNCTION probant_pdf_renewals_due(timestamptz, integer) FROM PUBLIC")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION probant_pdf_renewals_due(timestamptz, integer) TO {APP_ROLE}"
    )

    op.execute(REVIEW_MATCHES)
    op.execute(DEPOSIT_SIDE)
    op.execute(SUBMISSION_SIDE)
    op.execute(
        "CREATE CONSTRAINT TRIGGER deposits_review_matches_submission AFTER UPDATE ON deposits "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status) "
        "EXECUTE FUNCTION probant_deposit_review_matches()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER submissions_review_matches_deposit "
        "AFTER INSERT OR UPDATE ON submissions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION probant_submission_review_matches()"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION probant_pdf_renewals_due(timestamptz, integer)")
    op.execute(BLOB_REFERENCED.format(extra=""))
    for statement in drop_tenant_isolation("pdf_versions"):
        op.execute(statement)
    op.drop_index(op.f("ix_pdf_versions_organisation_id"), table_name="pdf_versions")
    op.drop_table("pdf_versions")
    op.execute("DROP TRIGGER submissions_review_matches_deposit ON submissions")
    op.execute("DROP TRIGGER deposits_review_matches_submission ON deposits")
    op.execute("DROP FUNCTION probant_submission_review_matches()")
    op.execute("DROP FUNCTION probant_deposit_review_matches()")
    op.execute("DROP FUNCTION probant_review_matches_submission(uuid)")
