"""Organisations (tenants), users, memberships, and the records of identity and access."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base, TimestampMixin, new_id


class OrganisationKind(StrEnum):
    LAW_FIRM = "LAW_FIRM"
    COMPANY = "COMPANY"
    INDIVIDUAL = "INDIVIDUAL"
    BAILIFF_OFFICE = "BAILIFF_OFFICE"
    PLATFORM = "PLATFORM"


class Role(StrEnum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    COLLABORATOR = "COLLABORATOR"
    CLIENT = "CLIENT"
    CLERK = "CLERK"
    COMMISSAIRE = "COMMISSAIRE"
    OPERATOR = "OPERATOR"
    # The membership through which an API client acts as its organisation (never a person).
    PARTNER = "PARTNER"


class MembershipStatus(StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"


class OfficeChoice(StrEnum):
    NEAREST = "NEAREST"
    PREFERRED = "PREFERRED"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    RESET_PASSWORD = "RESET_PASSWORD"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Organisation(TimestampMixin, Base):
    """A tenant, with the legal identity reused on constats and invoices."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind, "organisation_kind"))
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    legal_form: Mapped[str | None] = mapped_column(String(80))
    company_name: Mapped[str | None] = mapped_column(String(200))
    siren: Mapped[str | None] = mapped_column(String(9))
    rcs_city: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    representative_first_name: Mapped[str | None] = mapped_column(String(100))
    representative_last_name: Mapped[str | None] = mapped_column(String(100))
    office_choice: Mapped[OfficeChoice] = mapped_column(
        _enum(OfficeChoice, "office_choice"), default=OfficeChoice.NEAREST, server_default="NEAREST"
    )
    preferred_office_id: Mapped[uuid.UUID | None]
    # Active and invited members allowed (from the plan); NULL: no limit.
    seat_limit: Mapped[int | None]
    # Whether a capture without a location fix is blocked (True) or flagged "no location".
    capture_location_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )
    # Bumped whenever a membership or policy of the organisation changes, so every process
    # knows its cached authorisation rules for this organisation are stale.
    policy_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    deleted_at: Mapped[datetime | None]


class User(TimestampMixin, Base):
    """A person who logs in. Identity is global; what they may see comes from memberships."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    email_verified_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]
    notify_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    notify_push: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    deleted_at: Mapped[datetime | None]


class Membership(TimestampMixin, Base):
    """A user's role in one organisation."""

    __tablename__ = "memberships"
    __tenant_owned__ = True
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(_enum(Role, "membership_role"))
    status: Mapped[MembershipStatus] = mapped_column(
        _enum(MembershipStatus, "membership_status"), default=MembershipStatus.ACTIVE
    )


class UserSession(Base):
    """A browser session: the cookie holds a random token, only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))


class OneTimeToken(Base):
    """An emailed link's secret (verification, password reset): expires, works once."""

    __tablename__ = "one_time_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Invitation(TimestampMixin, Base):
    """An invitation to join an organisation, activated with a code sent by email."""

    __tablename__ = "invitations"
    __tenant_owned__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(_enum(Role, "invitation_role"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    credits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Append-only record of security-relevant actions in an organisation."""

    __tablename__ = "audit_events"
    __tenant_owned__ = True
    __table_args__ = (Index("ix_audit_events_org_created", "organisation_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    actor_user_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime]


class AuthThrottle(Base):
    """Failed sign-in counters per account and per IP, for rate limiting and lockout."""

    __tablename__ = "auth_throttles"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class PlatformOperator(Base):
    """Users who operate the platform. Written only by the schema owner (`probant create-operator`);
    the application role can read it, so row-level policies can trust it."""

    __tablename__ = "platform_operators"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime]


class CasbinRule(Base):
    """Authorisation policies (pycasbin's rule shape): `p` permissions and `g` role grants."""

    __tablename__ = "casbin_rules"
    __table_args__ = (
        Index("ix_casbin_rules_domain", "ptype", "v2"),
        Index("ix_casbin_rules_p_domain", "ptype", "v1"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    ptype: Mapped[str] = mapped_column(String(8))
    v0: Mapped[str] = mapped_column(String(100), default="")
    v1: Mapped[str] = mapped_column(String(100), default="")
    v2: Mapped[str] = mapped_column(String(100), default="")
    v3: Mapped[str] = mapped_column(String(100), default="")
    v4: Mapped[str] = mapped_column(String(100), default="")
    v5: Mapped[str] = mapped_column(String(100), default="")
