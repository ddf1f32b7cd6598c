"""Changing a member's role, removing a member, handing over ownership."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.errors import DomainError
from probant_tenants import audit
from probant_tenants.audit import AuditAction
from probant_tenants.authz import grant_role, revoke_roles
from probant_tenants.models import Membership, MembershipStatus, Organisation, Role
from probant_tenants.sessions import revoke_user_sessions


class MemberNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Membre introuvable dans votre organisation."
    message_en = "Member not found in your organisation."


class LastOwner(DomainError):
    code = "LAST_OWNER"
    message_fr = "L'organisation doit garder un propriétaire : transférez d'abord la propriété."
    message_en = "The organisation must keep an owner: transfer ownership first."


class RoleNotAssignable(DomainError):
    code = "NOT_ALLOWED"
    message_fr = "Ce rôle ne peut pas être attribué ici (la propriété se transfère)."
    message_en = "This role cannot be given here (ownership is transferred instead)."


ASSIGNABLE = {Role.ADMIN, Role.COLLABORATOR, Role.CLIENT, Role.CLERK, Role.COMMISSAIRE}


async def _member(
    session: AsyncSession, organisation_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership:
    membership = await session.get(Membership, membership_id, with_for_update=True)
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or membership.status is MembershipStatus.REMOVED
        or membership.role is Role.PARTNER  # an API client's: managed as a client, not a member
    ):
        raise MemberNotFound()
    return membership


async def count_owners(session: AsyncSession, organisation_id: uuid.UUID) -> int:
    # Lock the organisation row: two concurrent changes cannot both remove "another" owner.
    await session.get(Organisation, organisation_id, with_for_update=True)
    found = await session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.OWNER,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return int(found.scalar_one())


async def update_member_role(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    membership_id: uuid.UUID,
    role: Role,
) -> Membership:
    if role not in ASSIGNABLE:
        raise RoleNotAssignable()
    membership = await _member(session, organisation_id, membership_id)
    if membership.role is Role.OWNER and await count_owners(session, organisation_id) <= 1:
        raise LastOwner()
    before = membership.role
    membership.role = role
    await grant_role(
        session=session, user_id=membership.user_id, organisation_id=organisation_id, role=role
    )
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.ROLE_CHANGED,
        actor_user_id=actor_user_id,
        target=str(membership.id),
        details={"from": before.value, "to": role.value},
    )
    return membership


async def remove_member(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    membership_id: uuid.UUID,
) -> None:
    """The member loses access at once: role revoked, sessions in this organisation ended."""
    membership = await _member(session, organisation_id, membership_id)
    if membership.role is Role.OWNER and await count_owners(session, organisation_id) <= 1:
        raise LastOwner()
    membership.status = MembershipStatus.REMOVED
    await revoke_roles(session=session, user_id=membership.user_id, organisation_id=organisation_id)
    await revoke_user_sessions(
        session=session, user_id=membership.user_id, membership_id=membership.id
    )
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.MEMBER_REMOVED,
        actor_user_id=actor_user_id,
        target=str(membership.id),
    )


async def transfer_ownership(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    owner_membership_id: uuid.UUID,
    owner_role: Role,
    actor_user_id: uuid.UUID,
    to_membership_id: uuid.UUID | None,
) -> Membership:
    """The new owner becomes OWNER; the former owner stays as ADMIN. Only the OWNER hands
    ownership on (`RoleNotAssignable` for anyone else); `MemberNotFound` for a member that
    is not an active other member of the organisation (or no member)."""
    if owner_role is not Role.OWNER:
        raise RoleNotAssignable()
    if to_membership_id is None:
        raise MemberNotFound()
    target = await _member(session, organisation_id, to_membership_id)
    if target.status is not MembershipStatus.ACTIVE or target.id == owner_membership_id:
        raise MemberNotFound()
    current = await _member(session, organisation_id, owner_membership_id)
    target.role, current.role = Role.OWNER, Role.ADMIN
    await grant_role(
        session=session, user_id=target.user_id, organisation_id=organisation_id, role=Role.OWNER
    )
    await grant_role(
        session=session, user_id=current.user_id, organisation_id=organisation_id, role=Role.ADMIN
    )
    await audit.record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.OWNERSHIP_TRANSFERRED,
        actor_user_id=actor_user_id,
        target=str(target.id),
    )
    return target
