"""billing: catalogue, customers, subscriptions, purchases, payment events

Revision ID: 0700_billing
Revises: 0640_ledger_record_function
Create Date: 2026-11-22 09:00:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from probant_platform.db.rls import CURRENT_TENANT, append_only, tenant_isolation
from probant_platform.db.roles import APP_ROLE

revision: str = "0700_billing"
down_revision: str | Sequence[str] | None = "0640_ledger_record_function"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("billing_customers", "subscriptions", "purchases", "payment_events")

SEEDED_AT = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)

# The platform's default catalogue (product rules: 1 credit = 9.90 EUR TTC; degressive packs
# of 6, 12 and 30; Premium 60 credits a month and 5 seats, Business 180 and 20).
PRODUCTS = [
    ("pack-1", "PACK", "1 crédit", 1, None, 990, False, 0),
    ("pack-6", "PACK", "Pack 6 crédits", 6, None, 5_640, False, 1),
    ("pack-12", "PACK", "Pack 12 crédits", 12, None, 10_680, False, 2),
    ("pack-30", "PACK", "Pack 30 crédits", 30, None, 23_700, False, 3),
    ("premium", "PLAN", "Premium", 60, 5, 39_900, False, 10),
    ("business", "PLAN", "Business", 180, 20, 99_000, True, 11),
]

# Webhooks arrive with no tenant: these name the organisation of a provider's customer or
# subscription, and nothing else, so the handler can then work inside that tenant.
FUNCTIONS = [
    """
    CREATE FUNCTION probant_billing_organisation(p_customer text, p_subscription text)
    RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT coalesce(
        (SELECT organisation_id FROM subscriptions WHERE external_id = p_subscription),
        (SELECT organisation_id FROM billing_customers WHERE external_id = p_customer))
    $$""",
    """
    CREATE FUNCTION probant_subscriptions_due(p_at timestamptz)
    RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT organisation_id FROM subscriptions
       WHERE current_period_end <= p_at
         AND (closed_period_end IS NULL OR closed_period_end < current_period_end)
    $$""",
]


def upgrade() -> None:
    op.create_table(
        "catalogue_products",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("PACK", "PLAN", name="catalogue_product_kind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("price_ttc_cents", sa.Integer(), nullable=False),
        sa.Column("rollover", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("refund_on_rejection", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_products")),
    )
    op.create_table(
        "billing_customers",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_billing_customers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_billing_customers")),
        sa.UniqueConstraint("external_id", name=op.f("uq_billing_customers_external_id")),
    )
    op.create_table(
        "catalogue_overrides",
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("price_ttc_cents", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_catalogue_overrides_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalogue_products.id"],
            name=op.f("fk_catalogue_overrides_product_id_catalogue_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "organisation_id", name=op.f("pk_catalogue_overrides")
        ),
    )
    op.create_table(
        "payment_events",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_payment_events_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
    )
    op.create_index(
        op.f("ix_payment_events_organisation_id"),
        "payment_events",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "purchases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("purpose_id", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.String(length=40), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("credits", sa.Integer(), server_default="0", nullable=False),
        sa.Column("amount_ttc_cents", sa.Integer(), nullable=False),
        sa.Column("amount_ht_cents", sa.Integer(), nullable=False),
        sa.Column("vat_cents", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("PENDING", "PAID", name="purchase_status", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("invoice_url", sa.String(length=500), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_purchases_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
        sa.UniqueConstraint("external_id", name=op.f("uq_purchases_external_id")),
    )
    op.create_index(
        op.f("ix_purchases_organisation_id"), "purchases", ["organisation_id"], unique=False
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ACTIVE",
                "PAST_DUE",
                "INCOMPLETE",
                "CANCELED",
                name="subscription_status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("current_period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current_period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_subscriptions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["catalogue_products.id"],
            name=op.f("fk_subscriptions_plan_id_catalogue_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("external_id", name=op.f("uq_subscriptions_external_id")),
    )
    op.create_index(
        op.f("ix_subscriptions_organisation_id"), "subscriptions", ["organisation_id"], unique=True
    )

    for table in TENANT_TABLES:
        for statement in tenant_isolation(table):
            op.execute(statement)
    for statement in append_only("payment_events"):
        op.execute(statement)
    # The catalogue is public; only operators change it.
    op.execute("ALTER TABLE catalogue_products ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE catalogue_products FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY catalogue_read ON catalogue_products FOR SELECT USING (true)")
    op.execute(
        "CREATE POLICY catalogue_write ON catalogue_products "
        "USING (probant_is_operator()) WITH CHECK (probant_is_operator())"
    )
    op.execute("ALTER TABLE catalogue_overrides ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE catalogue_overrides FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY override_read ON catalogue_overrides FOR SELECT "
        f"USING (organisation_id = {CURRENT_TENANT} OR probant_is_operator())"
    )
    op.execute(
        "CREATE POLICY override_write ON catalogue_overrides "
        "USING (probant_is_operator()) WITH CHECK (probant_is_operator())"
    )
    products = sa.table(
        "catalogue_products",
        sa.column("id", sa.String),
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("credits", sa.Integer),
        sa.column("seats", sa.Integer),
        sa.column("price_ttc_cents", sa.Integer),
        sa.column("rollover", sa.Boolean),
        sa.column("position", sa.Integer),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        products,
        [
            dict(
                id=p[0],
                kind=p[1],
                name=p[2],
                credits=p[3],
                seats=p[4],
                price_ttc_cents=p[5],
                rollover=p[6],
                position=p[7],
                updated_at=SEEDED_AT,
            )
            for p in PRODUCTS
        ],
    )
    for function in FUNCTIONS:
        op.execute(function)
    op.execute("REVOKE ALL ON FUNCTION probant_subscriptions_due(timestamptz) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION probant_subscriptions_due(timestamptz) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS probant_subscriptions_due(timestamptz)")
    op.execute("DROP FUNCTION IF EXISTS probant_billing_organisation(text, text)")
    op.drop_index(op.f("ix_subscriptions_organisation_id"), table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index(op.f("ix_purchases_organisation_id"), table_name="purchases")
    op.drop_table("purchases")
    op.drop_index(op.f("ix_payment_events_organisation_id"), table_name="payment_events")
    op.drop_table("payment_events")
    op.drop_table("catalogue_overrides")
    op.drop_table("billing_customers")
    op.drop_table("catalogue_products")
