"""Inviting members and activating invited accounts with the emailed code."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.db.session import rescope
from probant_platform.errors import DomainError
from probant_platform.events.outbox import publish
from probant_platform.jobs import enqueue
from probant_platform.text import clean_line
from probant_tenants import audit, throttle
from probant_tenants.accounts import add_member, check_password, normalise_email
from probant_tenants.audit import AuditAction
from probant_tenants.authz import grant_role
from probant_tenants.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidName,
    InvalidToken,
    TermsNotAccepted,
)
from probant_tenants.models import (
    Invitation,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from probant_tenants.passwords import hash_password, verify_password
from probant_tenants.seats import ensure_seat_available
from probant_tenants.tokens import digest, new_secret

INVITATION_LIFETIME = timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from an email
INVITABLE = {
    OrganisationKind.LAW_FIRM: {Role.ADMIN, Role.COLLABORATOR, Role.CLIENT},
    OrganisationKind.COMPANY: {Role.ADMIN, Role.COLLABORATOR},
    OrganisationKind.BAILIFF_OFFICE: {Role.ADMIN, Role.CLERK, Role.COMMISSAIRE},
    OrganisationKind.PLATFORM: {Role.OPERATOR},
}


class RoleNotInvitable(DomainError):
    code = "NOT_ALLOWED"
    message_fr = "Ce rôle ne peut pas être attribué par invitation dans ce type d'organisation."
    message_en = "This role cannot be given by invitation in this kind of organisation."


class AlreadyMember(DomainError):
    code = "ALREADY_MEMBER"
    message_fr = "Cette personne est déjà membre active de l'organisation."
    message_en = "This person is already an active member of the organisation."


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


REPLACED_NOTICE = {
    "fr": "Une invitation était déjà en attente pour cette adresse : son code ne fonctionne "
    "plus. Seul le code du nouvel e-mail est valable.",
    "en": "An invitation was already pending for this address: its code no longer works. "
    "Only the code in the new email is valid.",
}


def replaced_notice(locale: str | None) -> str:
    """What the inviter reads when the invitation replaced a pending one."""
    return REPLACED_NOTICE["en" if locale == "en" else "fr"]


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    membership: Membership
    # A pending invitation was replaced: its code no longer works.
    replaced_pending: bool = False


async def invite_member(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    inviter_user_id: uuid.UUID,
    email: str,
    role: Role,
    credits: int,
) -> IssuedInvitation:
    """Invite (or re-invite, replacing the code) someone; emails an activation code.

    The code is minted by the job that sends it (`probant_tenants.emails`), so it never sits
    in the job queue; until then the invitation holds the hash of a secret nobody has.
    """
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None
    if role not in INVITABLE.get(organisation.kind, set()):
        raise RoleNotInvitable()
    address = normalise_email(email)
    user = (await session.execute(select(User).where(User.email == address))).scalar_one_or_none()
    if user is None:
        user = User(id=uuid.uuid4(), email=address, password_hash=None)
        session.add(user)
        await session.flush()
    await rescope(session, TenantScope(organisation_id=organisation_id, user_id=inviter_user_id))
    membership = (
        await session.execute(
            select(Membership).where(
                Membership.organisation_id == organisation_id, Membership.user_id == user.id
            )
        )
    ).scalar_one_or_none()
    if membership is not None and membership.status is MembershipStatus.ACTIVE:
        raise AlreadyMember()
    if membership is None or membership.status is MembershipStatus.REMOVED:
        await ensure_seat_available(session=session, organisation_id=organisation_id)
    if membership is None:
        membership = await add_member(
            session=session,
            organisation_id=organisation_id,
            user_id=user.id,
            role=role,
            status=MembershipStatus.INVITED,
        )
    else:
        membership.role, membership.status = role, MembershipStatus.INVITED
        await grant_role(
            session=session, user_id=user.id, organisation_id=organisation_id, role=role
        )
    now = utcnow()
    revoked = await session.execute(
        update(Invitation)
        .where(
            Invitation.membership_id == membership.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    replaced_pending = bool(getattr(revoked, "rowcount", 0))
    invitation = Invitation(
        organisation_id=organisation_id,
        membership_id=membership.id,
        email=address,
        role=role,
        code_hash=digest(new_secret()),
        invited_by=inviter_user_id,
        credits=credits,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(invitation)
    await session.flush()
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.MEMBER_INVITED,
        actor_user_id=inviter_user_id,
        target=address,
        details={"role": role.value},
    )
    await enqueue(
        session,
        "invitations.email_code",
        to=address,
        organisation_id=str(organisation_id),
        invitation_id=str(invitation.id),
        replaces_earlier=replaced_pending,
    )
    return IssuedInvitation(
        invitation=invitation, membership=membership, replaced_pending=replaced_pending
    )


async def activate_account(
    *,
    session: AsyncSession,
    database: Database,
    code: str,
    password: str,
    accept_terms: bool,
    ip: str | None,
    full_name: str | None = None,
) -> Membership:
    """Set an invited person's password (and name) and activate their membership (code: once,
    7 days). Someone who already has a Probant account confirms with their existing password
    and keeps their name."""
    keys = [k for k in (throttle.ip_key(ip),) if k]
    if keys and await throttle.locked(session=session, keys=keys):
        raise AccountLocked()
    if not accept_terms:
        raise TermsNotAccepted()
    check_password(password)
    name = clean_line(full_name, max_length=200) if full_name is not None else None
    if full_name is not None and name is None:
        raise InvalidName()
    code_hash = digest(normalise_code(code)[:14])
    found = await session.execute(text("SELECT probant_invitation_tenant(:h)"), {"h": code_hash})
    organisation_id = found.scalar_one_or_none()
    invitation = None
    if organisation_id is not None:
        await rescope(session, TenantScope(organisation_id=organisation_id))
        invitation = (
            await session.execute(
                select(Invitation).where(Invitation.code_hash == code_hash).with_for_update()
            )
        ).scalar_one_or_none()
    now = utcnow()
    if (
        invitation is None
        or invitation.used_at
        or invitation.revoked_at
        or invitation.expires_at <= now
    ):
        if keys:
            await throttle.register_failure(
                database=database, key=keys[0], limit=throttle.IP_MAX_FAILURES
            )
        raise InvalidToken()
    membership = await session.get(Membership, invitation.membership_id)
    user = await session.get(User, membership.user_id) if membership else None
    assert membership is not None and user is not None
    if user.password_hash is not None and not verify_password(user.password_hash, password):
        await throttle.register_failure(
            database=database,
            key=throttle.account_key(user.email),
            limit=throttle.ACCOUNT_MAX_FAILURES,
        )
        raise InvalidCredentials()
    invitation.used_at = now
    if user.password_hash is None and name is not None:
        user.full_name = name
    user.password_hash = user.password_hash or hash_password(password)
    user.email_verified_at = user.email_verified_at or now  # the code came by email
    user.terms_accepted_at = user.terms_accepted_at or now
    membership.status = MembershipStatus.ACTIVE
    await audit.record(
        session=session,
        organisation_id=membership.organisation_id,
        action=AuditAction.MEMBER_ACTIVATED,
        actor_user_id=user.id,
        ip=ip,
    )
    await session.flush()
    await publish(
        session,
        organisation_id=membership.organisation_id,
        type="invitation.accepted",
        key=f"invitation.accepted:{invitation.id}",
        data={"membership_id": membership.id, "role": membership.role.value},
    )
    return membership
