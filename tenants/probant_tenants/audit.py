"""The audit log: append-only records of security-relevant actions, per organisation."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, TenantScope, utcnow
from probant_tenants.models import AuditEvent


class AuditAction(StrEnum):
    SIGN_UP = "SIGN_UP"
    SIGN_IN = "SIGN_IN"
    SIGN_IN_FAILED = "SIGN_IN_FAILED"
    SIGN_OUT = "SIGN_OUT"
    EMAIL_VERIFIED = "EMAIL_VERIFIED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    PASSWORD_RESET = "PASSWORD_RESET"
    MEMBER_INVITED = "MEMBER_INVITED"
    MEMBER_ACTIVATED = "MEMBER_ACTIVATED"
    ROLE_CHANGED = "ROLE_CHANGED"
    MEMBER_REMOVED = "MEMBER_REMOVED"
    OWNERSHIP_TRANSFERRED = "OWNERSHIP_TRANSFERRED"
    ACCOUNT_DELETED = "ACCOUNT_DELETED"
    ORGANISATION_UPDATED = "ORGANISATION_UPDATED"
    API_CLIENT_CREATED = "API_CLIENT_CREATED"
    API_CLIENT_SECRET_ROTATED = "API_CLIENT_SECRET_ROTATED"
    API_CLIENT_REVOKED = "API_CLIENT_REVOKED"
    API_TOKEN_ISSUED = "API_TOKEN_ISSUED"
    API_TOKEN_REFUSED = "API_TOKEN_REFUSED"
    # Operators' acts, in the log of the organisation they concern (the catalogue's in theirs).
    CREDITS_ADJUSTED = "CREDITS_ADJUSTED"
    OFFICE_ONBOARDED = "OFFICE_ONBOARDED"
    CATALOGUE_CHANGED = "CATALOGUE_CHANGED"
    PRICE_NEGOTIATED = "PRICE_NEGOTIATED"


async def record(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    action: AuditAction,
    actor_user_id: uuid.UUID | None,
    ip: str | None = None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event (the table refuses updates and deletes, even from the owner)."""
    session.add(
        AuditEvent(
            organisation_id=organisation_id,
            action=action.value,
            actor_user_id=actor_user_id,
            ip=ip,
            target=target,
            details=details or {},
            created_at=utcnow(),
        )
    )
    await session.flush()


async def record_now(
    *,
    database: Database,
    organisation_id: uuid.UUID,
    action: AuditAction,
    actor_user_id: uuid.UUID | None,
    ip: str | None = None,
) -> None:
    """Append one event in a transaction of its own, committed at once.

    For security events (a failed sign-in) that must stay on record even when the request
    that caused them is rolled back.
    """
    scope = TenantScope(organisation_id=organisation_id, user_id=actor_user_id)
    async with database.unit_of_work(scope) as session:
        await record(
            session=session,
            organisation_id=organisation_id,
            action=action,
            actor_user_id=actor_user_id,
            ip=ip,
        )
