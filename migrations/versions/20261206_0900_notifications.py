"""notifications: the in-app inbox (one row per event, recipient and channel), preferences

Revision ID: 0900_notifications
Revises: 0870_commissaire_role
Create Date: 2026-12-06 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from probant_platform.db.rls import CURRENT_USER_ID, drop_tenant_isolation, tenant_isolation
from probant_platform.db.roles import APP_ROLE

revision: str = "0900_notifications"
down_revision: str | Sequence[str] | None = "0940_renewal_and_review_guard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = sa.Enum(
    "INBOX", "EMAIL", "PUSH", name="notification_channel", native_enum=False, length=16
)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("channel", CHANNEL, nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_notifications_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_notifications_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "event_id",
            "user_id",
            "channel",
            name=op.f("uq_notifications_event_id_user_id_channel"),
        ),
    )
    op.create_index(op.f("ix_notifications_organisation_id"), "notifications", ["organisation_id"])
    op.create_index(
        "ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"]
    )
    for statement in tenant_isolation("notifications"):
        op.execute(statement)
    # A person reads only their own notifications; jobs (no user set) write everyone's.
    op.execute(
        "CREATE POLICY own_notifications ON notifications AS RESTRICTIVE "
        f"USING ({CURRENT_USER_ID} IS NULL OR user_id = {CURRENT_USER_ID})"
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("channel", CHANNEL, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "kind", "channel", name=op.f("pk_notification_preferences")
        ),
    )
    # Preferences and push subscriptions belong to a person, not a tenant: each reads and
    # writes their own (jobs and the signed unsubscribe link act with no person set, or as
    # the link's person).
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=2000), nullable=False),
        sa.Column("p256dh", sa.String(length=120), nullable=False),
        sa.Column("auth", sa.String(length=60), nullable=False),
        sa.Column("user_agent", sa.String(length=300), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    op.create_index(
        op.f("ix_push_subscriptions_user_id"), "push_subscriptions", ["user_id"], unique=False
    )
    for table, policy in (
        ("notification_preferences", "own_preferences"),
        ("push_subscriptions", "own_subscriptions"),
    ):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {policy} ON {table} "
            f"USING ({CURRENT_USER_ID} IS NULL OR user_id = {CURRENT_USER_ID}) "
            f"WITH CHECK ({CURRENT_USER_ID} IS NULL OR user_id = {CURRENT_USER_ID})"
        )
    # A browser (one endpoint) signs in as someone else: the new person takes the endpoint
    # over, so the former one's notifications stop reaching that screen.
    op.execute(
        f"""
CREATE FUNCTION probant_claim_push_endpoint(p_endpoint text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF {CURRENT_USER_ID} IS NULL THEN
    RAISE EXCEPTION 'no person to claim a push endpoint for'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM push_subscriptions
  WHERE endpoint = p_endpoint AND user_id <> {CURRENT_USER_ID};
END $$"""
    )
    op.execute("REVOKE ALL ON FUNCTION probant_claim_push_endpoint(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION probant_claim_push_endpoint(text) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS probant_claim_push_endpoint(text)")
    op.drop_index(op.f("ix_push_subscriptions_user_id"), table_name="push_subscriptions")
    op.drop_table("push_subscriptions")
    op.drop_table("notification_preferences")
    op.execute("DROP POLICY IF EXISTS own_notifications ON notifications")
    for statement in drop_tenant_isolation("notifications"):
        op.execute(statement)
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    op.drop_index(op.f("ix_notifications_organisation_id"), table_name="notifications")
    op.drop_table("notifications")
