"""Billing records: the catalogue, customers, subscriptions, purchases and payment events."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TenantMixin, new_id, utcnow


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class ProductKind(StrEnum):
    PACK = "PACK"
    PLAN = "PLAN"


class CatalogueProduct(Base):
    """A credit pack or a monthly plan, as operators set it (platform-wide, public prices)."""

    __tablename__ = "catalogue_products"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[ProductKind] = mapped_column(_enum(ProductKind, "catalogue_product_kind"))
    name: Mapped[str] = mapped_column(String(80))
    # A pack's credits, or a plan's monthly allotment.
    credits: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int | None] = mapped_column(Integer)
    price_ttc_cents: Mapped[int] = mapped_column(Integer)
    # Plans: unused monthly credits carry over (True) or expire at period end (False).
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # Plans: a bailiff's rejection gives the submission's credits back.
    refund_on_rejection: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )
    # Plans: how a deposit is priced for subscribers (ledger.pricing.PricingRule).
    pricing_rule: Mapped[str] = mapped_column(
        String(32), default="PER_DEPOSIT", server_default="PER_DEPOSIT"
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PriceOverride(TenantMixin, Base):
    """A negotiated price of one product for one organisation (set by operators)."""

    __tablename__ = "catalogue_overrides"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("catalogue_products.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    price_ttc_cents: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BillingCustomer(TenantMixin, Base):
    """The organisation's customer at the payment provider (one per organisation)."""

    __tablename__ = "billing_customers"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubscriptionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"
    INCOMPLETE = "INCOMPLETE"
    CANCELED = "CANCELED"


class Subscription(TenantMixin, Base):
    """The organisation's plan: one row per organisation, kept in step with the provider."""

    __tablename__ = "subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True, index=True
    )
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("catalogue_products.id"))
    status: Mapped[SubscriptionStatus] = mapped_column(
        _enum(SubscriptionStatus, "subscription_status")
    )
    current_period_start: Mapped[datetime]
    current_period_end: Mapped[datetime]
    # The last period whose unused allotment was expired (or kept, for rollover plans).
    closed_period_end: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PurchaseStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"


class Purchase(TenantMixin, Base):
    """One payment: a pack, a plan's period, or another domain's purchase (a PV de constat)."""

    __tablename__ = "purchases"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(20))
    purpose_id: Mapped[uuid.UUID | None]
    product_id: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    credits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    amount_ttc_cents: Mapped[int] = mapped_column(Integer)
    amount_ht_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[PurchaseStatus] = mapped_column(_enum(PurchaseStatus, "purchase_status"))
    # The provider's checkout session or invoice id.
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    invoice_url: Mapped[str | None] = mapped_column(String(500))
    actor_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]


class PaymentEvent(TenantMixin, Base):
    """A provider event already applied: its id is unique, so each event has one effect."""

    __tablename__ = "payment_events"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
