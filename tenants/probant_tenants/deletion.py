"""Deleting one's account: the data export is emailed first, then the person is anonymised."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import TenantScope, utcnow
from probant_platform.db.session import acting_as
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


class ExportSection(Protocol):
    """One part of the account export that another domain holds (evidence: the deposits)."""

    def __call__(
        self, *, session: AsyncSession, user_id: uuid.UUID, organisation_id: uuid.UUID
    ) -> Awaitable[list[dict[str, Any]]]: ...


_SECTIONS: dict[str, ExportSection] = {}


class ExportSectionsNotInstalled(RuntimeError):
    """A process started without the composition root: `import probant_platform.wiring`."""


def add_export_section(name: str, reader: ExportSection) -> None:
    """Installed by the composition root: tenants sit below the domains that hold the data."""
    _SECTIONS[name] = reader


async def _export(
    session: AsyncSession, user: User, organisation_ids: list[uuid.UUID]
) -> dict[str, Any]:
    if not _SECTIONS:
        raise ExportSectionsNotInstalled("probant_tenants.deletion")
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in _SECTIONS}
    for organisation_id in organisation_ids:
        scope = TenantScope(organisation_id=organisation_id, user_id=user.id)
        async with acting_as(session, scope):
            for name, reader in _SECTIONS.items():
                sections[name] += await reader(
                    session=session, user_id=user.id, organisation_id=organisation_id
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
        **sections,
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
        scope = TenantScope(organisation_id=membership.organisation_id, user_id=user_id)
        async with acting_as(session, scope):
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
        scope = TenantScope(organisation_id=membership.organisation_id, user_id=user_id)
        async with acting_as(session, scope):
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
            await session.flush()  # in this organisation's scope
    await revoke_user_sessions(session=session, user_id=user_id)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.full_name, user.password_hash, user.deleted_at = "", None, now
    await session.flush()
