"""Deleting one's account: the data export is emailed first, then the person is anonymised."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import TenantScope, utcnow
from probant_platform.db.session import rescope
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_platform.jobs import enqueue
from probant_tenants import audit
from probant_tenants.accounts import memberships_of
from probant_tenants.audit import AuditAction
from probant_tenants.authz import revoke_roles
from probant_tenants.errors import InvalidCredentials
from probant_tenants.members import LastOwner, count_owners
from probant_tenants.models import MembershipStatus, Organisation, Role, User
from probant_tenants.passwords import verify_password
from probant_tenants.sessions import revoke_user_sessions


async def _export(
    session: AsyncSession, user: User, organisation_ids: list[uuid.UUID]
) -> dict[str, Any]:
    deposits: list[dict[str, Any]] = []
    for organisation_id in organisation_ids:
        await rescope(session, TenantScope(organisation_id=organisation_id, user_id=user.id))
        rows = await session.execute(select(Deposit).where(Deposit.author_user_id == user.id))
        for deposit in rows.scalars():
            items = await session.execute(
                select(EvidenceItem).where(EvidenceItem.deposit_id == deposit.id)
            )
            deposits.append(
                {
                    "reference": deposit.reference,
                    "status": deposit.status.value,
                    "title": deposit.title,
                    "city": deposit.city,
                    "created_at": deposit.created_at.isoformat(),
                    "sealed_at": deposit.sealed_at.isoformat() if deposit.sealed_at else None,
                    "items": [
                        {
                            "sha256": i.sha256,
                            "size": i.size,
                            "captured_at": i.captured_at.isoformat(),
                            "comment": i.comment,
                        }
                        for i in items.scalars()
                    ],
                }
            )
    return {
        "format": "probant-account-export/1",
        "exported_at": utcnow().isoformat(),
        "user": {
            "email": user.email,
            "full_name": user.full_name,
            "locale": user.locale,
            "created_at": user.created_at.isoformat(),
            "notifications": {"email": user.notify_email, "push": user.notify_push},
        },
        "organisations": [str(o) for o in organisation_ids],
        "deposits": deposits,
    }


async def delete_account(
    *, session: AsyncSession, user_id: uuid.UUID, password: str, delete_organisations: bool
) -> None:
    """Email the export, then end every membership and anonymise the person."""
    user = await session.get(User, user_id)
    if user is None or not verify_password(user.password_hash, password):
        raise InvalidCredentials()
    memberships = await memberships_of(session=session, user_id=user_id)
    orphaned: list[uuid.UUID] = []
    for membership in memberships:
        await rescope(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user_id)
        )
        if (
            membership.role is Role.OWNER
            and await count_owners(session, membership.organisation_id) <= 1
        ):
            if not delete_organisations:
                raise LastOwner()
            orphaned.append(membership.organisation_id)
    export = await _export(session, user, [m.organisation_id for m in memberships])
    await enqueue(
        session,
        "notifications.send_email",
        to=user.email,
        template="account_export",
        locale=user.locale,
        context={"name": user.full_name},
        attachments=[
            {
                "filename": "probant-export.json",
                "content_type": "application/json",
                "data_base64": base64.b64encode(
                    json.dumps(export, ensure_ascii=False, indent=2).encode()
                ).decode(),
            }
        ],
    )
    now = utcnow()
    for membership in memberships:
        await rescope(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user_id)
        )
        membership.status = MembershipStatus.REMOVED
        await revoke_roles(
            session=session, user_id=user_id, organisation_id=membership.organisation_id
        )
        if membership.organisation_id in orphaned:
            organisation = await session.get(Organisation, membership.organisation_id)
            assert organisation is not None
            organisation.deleted_at = now
        await audit.record(
            session=session,
            organisation_id=membership.organisation_id,
            action=AuditAction.ACCOUNT_DELETED,
            actor_user_id=user_id,
        )
    await revoke_user_sessions(session=session, user_id=user_id)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.full_name, user.password_hash, user.deleted_at = "", None, now
    await session.flush()
