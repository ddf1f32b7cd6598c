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

revision: str = "0900_notifications"
down_revision: str | Sequence[str] | None = "0870_commissaire_role"
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
    # Preferences belong to a person, not a tenant: each reads and writes their own (jobs
    # and the signed unsubscribe link act with no person set, or as the link's person).
    op.execute("ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY own_preferences ON notification_preferences "
        f"USING ({CURRENT_USER_ID} IS NULL OR user_id = {CURRENT_USER_ID}) "
        f"WITH CHECK ({CURRENT_USER_ID} IS NULL OR user_id = {CURRENT_USER_ID})"
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    op.execute("DROP POLICY IF EXISTS own_notifications ON notifications")
    for statement in drop_tenant_isolation("notifications"):
        op.execute(statement)
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    op.drop_index(op.f("ix_notifications_organisation_id"), table_name="notifications")
    op.drop_table("notifications")
