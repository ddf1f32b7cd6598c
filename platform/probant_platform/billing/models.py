"""Billing records: the editable catalogue, customers, subscriptions, purchases, webhook events."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id, utcnow


class ProductKind(StrEnum):
    PACK = "PACK"
    PLAN = "PLAN"


class PurchaseStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class BillingProduct(Base):
    """A pack or a plan on sale. Seeded from `catalogue.PACKS`/`PLANS`; operators edit it."""

    __tablename__ = "billing_products"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[ProductKind] = mapped_column(_enum(ProductKind, "billing_product_kind"))
    name: Mapped[str] = mapped_column(String(100))
    # Credits in a pack, or credits allotted each month by a plan.
    credits: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int | None] = mapped_column(Integer)
    price_ttc_cents: Mapped[int] = mapped_column(Integer)
    # Plans only: unused monthly credits roll over (True) or expire at period end (False).
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # Plans only: whether a bailiff's rejection refunds the credits spent.
    refund_on_rejection: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)


class PriceOverride(TenantMixin, Base):
    """An organisation's own price for one product (set by an operator)."""

    __tablename__ = "billing_price_overrides"
    __table_args__ = (UniqueConstraint("organisation_id", "product_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    product_id: Mapped[str] = mapped_column(ForeignKey("billing_products.id", ondelete="CASCADE"))
    price_ttc_cents: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)


class BillingCustomer(TenantMixin, Base):
    """The organisation's customer at the payment provider (one per organisation)."""

    __tablename__ = "billing_customers"
    __table_args__ = (UniqueConstraint("organisation_id"), UniqueConstraint("customer_id"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)


class Subscription(TenantMixin, Base):
    """The organisation's plan subscription as last read from its provider."""

    __tablename__ = "billing_subscriptions"
    __table_args__ = (UniqueConstraint("organisation_id"), UniqueConstraint("external_id"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    plan_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    current_period_start: Mapped[datetime]
    current_period_end: Mapped[datetime]
    cancel_at_period_end: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)


class Allotment(TenantMixin, Base):
    """The credits one subscription period gave; `expires` ones are swept at `period_end`."""

    __tablename__ = "billing_allotments"
    __table_args__ = (
        UniqueConstraint("organisation_id", "subscription_external_id", "period_start"),
        Index("ix_billing_allotments_due", "period_end", postgresql_where="swept_at IS NULL"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    subscription_external_id: Mapped[str] = mapped_column(String(100))
    plan_id: Mapped[str] = mapped_column(String(40))
    credits: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    expires: Mapped[bool] = mapped_column(Boolean)
    # The wallet entry that brought these credits: debits after it consume them first.
    ledger_entry_id: Mapped[int | None] = mapped_column(BigInteger)
    swept_at: Mapped[datetime | None]
    expired_credits: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)


class Purchase(TenantMixin, Base):
    """A payment and its receipt: HT + VAT = TTC, the provider's invoice or our PDF receipt."""

    __tablename__ = "billing_purchases"
    __table_args__ = (
        UniqueConstraint("provider", "external_id"),
        Index("ix_billing_purchases_org_created", "organisation_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(40))
    purpose_id: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200))
    credits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    amount_ttc_cents: Mapped[int] = mapped_column(BigInteger)
    amount_ht_cents: Mapped[int] = mapped_column(BigInteger)
    vat_cents: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[PurchaseStatus] = mapped_column(_enum(PurchaseStatus, "billing_purchase_status"))
    invoice_url: Mapped[str | None] = mapped_column(String(1000))
    actor_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    paid_at: Mapped[datetime | None]


class StripeEvent(TenantMixin, Base):
    """A webhook event already applied: its id is stored in the transaction of its effect."""

    __tablename__ = "billing_stripe_events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
