"""Organisations (tenants), users and their memberships."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
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
    OPERATOR = "OPERATOR"


class MembershipStatus(StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(enum, name=name, native_enum=False, length=32)


class Organisation(TimestampMixin, Base):
    """A tenant. Its row is visible to its own members (policy on `id`)."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind, "organisation_kind"))
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")


class User(TimestampMixin, Base):
    """A person who logs in. Identity is global; what they may see comes from memberships."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    email_verified_at: Mapped[datetime | None]


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
