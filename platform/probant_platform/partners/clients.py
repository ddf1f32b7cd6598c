"""Registering, rotating and revoking an organisation's API clients; finding one by its id.

Each client acts through a membership of its own (role PARTNER) held by a user that cannot
log in, so deposits, submissions and orders it creates name the client as their author, and
it never takes a seat. Secrets are random (256 bits): a SHA-256 is enough at rest.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import TenantScope, utcnow
from probant_platform.db.session import rescope
from probant_platform.errors import DomainError
from probant_platform.partners.models import ApiClient
from probant_platform.partners.scopes import SCOPES, parse_scopes
from probant_platform.text import clean_line
from probant_tenants.audit import AuditAction, record
from probant_tenants.authz import grant_role, revoke_roles
from probant_tenants.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from probant_tenants.tokens import digest

CLIENT_DOMAIN = "api-clients.probant.invalid"
PARTNER_KINDS = {OrganisationKind.LAW_FIRM, OrganisationKind.COMPANY, OrganisationKind.INDIVIDUAL}


class ApiClientsNotAvailable(DomainError):
    code = "API_CLIENTS_NOT_AVAILABLE"
    message_fr = "Les clients d'API sont réservés aux cabinets, entreprises et particuliers."
    message_en = "API clients are for law firms, companies and individuals only."


class ApiClientNotFound(DomainError):
    code = "API_CLIENT_NOT_FOUND"
    message_fr = "Client d'API introuvable ou révoqué."
    message_en = "API client not found or revoked."


@dataclass(frozen=True)
class IssuedClient:
    client: ApiClient
    secret: str


def _new_secret() -> str:
    return "pcs_" + secrets.token_urlsafe(32)


async def create_client(
    *,
    session: AsyncSession,
    organisation_id: uuid.UUID,
    name: str,
    scopes: list[str],
    created_by: uuid.UUID | None,
    api_key_id: uuid.UUID | None = None,
) -> IssuedClient:
    """A new client with its secret (returned once) and the membership it acts through."""
    granted = parse_scopes(scopes)
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind not in PARTNER_KINDS:
        raise ApiClientsNotAvailable()
    label = clean_line(name, max_length=100) or "API"
    client_id = "pc_" + secrets.token_urlsafe(18)
    now = utcnow()
    user = User(
        email=f"{client_id.lower()}@{CLIENT_DOMAIN}",
        full_name=label,
        locale=organisation.locale,
        email_verified_at=now,
        notify_email=False,
    )
    session.add(user)
    await session.flush()
    membership = Membership(
        organisation_id=organisation_id,
        user_id=user.id,
        role=Role.PARTNER,
        status=MembershipStatus.ACTIVE,
    )
    session.add(membership)
    await session.flush()
    await grant_role(
        session=session, user_id=user.id, organisation_id=organisation_id, role=Role.PARTNER
    )
    secret = _new_secret()
    client = ApiClient(
        organisation_id=organisation_id,
        name=label,
        client_id=client_id,
        secret_hash=digest(secret),
        scopes=granted,
        membership_id=membership.id,
        api_key_id=api_key_id,
        created_by=created_by,
        created_at=now,
    )
    session.add(client)
    await session.flush()
    await record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.API_CLIENT_CREATED,
        actor_user_id=created_by,
        target=client_id,
        details={"scopes": granted, "name": label},
    )
    return IssuedClient(client=client, secret=secret)


async def list_clients(*, session: AsyncSession, organisation_id: uuid.UUID) -> list[ApiClient]:
    found = await session.execute(
        select(ApiClient)
        .where(ApiClient.organisation_id == organisation_id, ApiClient.api_key_id.is_(None))
        .order_by(ApiClient.created_at.desc())
    )
    return list(found.scalars())


async def _live(session: AsyncSession, organisation_id: uuid.UUID, id: uuid.UUID) -> ApiClient:
    client = await session.get(ApiClient, id, with_for_update=True)
    if client is None or client.organisation_id != organisation_id or client.revoked_at:
        raise ApiClientNotFound()
    return client


async def rotate_secret(
    *, session: AsyncSession, organisation_id: uuid.UUID, id: uuid.UUID, actor_user_id: uuid.UUID
) -> IssuedClient:
    """A new secret at once; the old one stops working, tokens already issued run out."""
    client = await _live(session, organisation_id, id)
    secret = _new_secret()
    client.secret_hash = digest(secret)
    client.secret_rotated_at = utcnow()
    await session.flush()
    await record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.API_CLIENT_SECRET_ROTATED,
        actor_user_id=actor_user_id,
        target=client.client_id,
    )
    return IssuedClient(client=client, secret=secret)


async def revoke_client(
    *, session: AsyncSession, organisation_id: uuid.UUID, id: uuid.UUID, actor_user_id: uuid.UUID
) -> ApiClient:
    """Refuse the client's secret and every token it holds, from the next request on."""
    client = await _live(session, organisation_id, id)
    client.revoked_at = utcnow()
    membership = await session.get(Membership, client.membership_id)
    if membership is not None:
        membership.status = MembershipStatus.REMOVED
        await revoke_roles(
            session=session, user_id=membership.user_id, organisation_id=organisation_id
        )
    await session.flush()
    await record(
        session=session,
        organisation_id=organisation_id,
        action=AuditAction.API_CLIENT_REVOKED,
        actor_user_id=actor_user_id,
        target=client.client_id,
    )
    return client


async def find_client(*, session: AsyncSession, client_id: str) -> ApiClient | None:
    """The live client with this public id, the session pinned to its tenant; None if unknown."""
    if not client_id or len(client_id) > 64:
        return None
    found = await session.execute(text("SELECT probant_api_client_tenant(:c)"), {"c": client_id})
    organisation_id = found.scalar_one_or_none()
    if organisation_id is None:
        return None
    await rescope(session, TenantScope(organisation_id=uuid.UUID(str(organisation_id))))
    return (
        await session.execute(
            select(ApiClient).where(
                ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None)
            )
        )
    ).scalar_one_or_none()


def secret_matches(client: ApiClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_hash, digest(secret))


async def client_for_api_key(
    *, session: AsyncSession, organisation_id: uuid.UUID, api_key_id: uuid.UUID
) -> ApiClient:
    """The client standing for an `sk_` key used as a bearer token (made on first use, with
    every scope: the key could already do everything its organisation's admins allowed)."""
    existing = (
        await session.execute(select(ApiClient).where(ApiClient.api_key_id == api_key_id))
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    issued = await create_client(
        session=session,
        organisation_id=organisation_id,
        name="sk_ API key",
        scopes=list(SCOPES),
        created_by=None,
        api_key_id=api_key_id,
    )
    return issued.client


async def mark_used(*, session: AsyncSession, client: ApiClient) -> None:
    await session.execute(
        update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=utcnow())
    )
