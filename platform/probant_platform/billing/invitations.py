"""Inviting a member with credits allotted: the invitation (tenancy) and the transfer of the
credits from the organisation's wallet to the invited member's (ledger), decided in one place.

Tenancy and the ledger do not know each other (pyproject's layers); this service, above both,
joins them, as `overview` does for the operators' reads.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.ledger import errors as ledger_errors
from probant_platform.ledger import services as ledger
from probant_tenants import invitations
from probant_tenants.models import Role


async def invite_member(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    inviter_user_id: uuid.UUID,
    email: str,
    role: Role,
    credits: int = 0,
) -> invitations.IssuedInvitation:
    """Invite someone (`invitations.invite_member`) and allot them `credits` from the
    organisation's wallet, once per invitation. `InvalidAmount` outside 0…`MAX_CREDITS`,
    before anything is written."""
    if not 0 <= credits <= ledger.MAX_CREDITS:
        raise ledger_errors.InvalidAmount()
    issued = await invitations.invite_member(
        session=session,
        organisation_id=organisation_id,
        inviter_user_id=inviter_user_id,
        email=email,
        role=role,
        credits=credits,
    )
    if credits:
        await ledger.transfer(
            session=session,
            organisation_id=organisation_id,
            membership_id=issued.membership.id,
            credits=credits,
            idempotency_key=f"invitation:{issued.invitation.id}",
            actor_user_id=inviter_user_id,
        )
    return issued
