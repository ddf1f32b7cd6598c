"""Partner bearers on the one actor resolver: access tokens (JWTs) and legacy `sk_` keys.

Both become the same kind of `Actor`: the organisation's API client acting through its
PARTNER membership, with the scopes it was granted. The client row is read on every request,
so revoking a client (or its `sk_` key) refuses its tokens at once — that row is the deny list.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from probant_platform.db import TenantScope
from probant_platform.db.session import rescope
from probant_platform.partners.clients import client_for_api_key, find_client
from probant_platform.partners.models import ApiClient
from probant_platform.partners.tokens import verify
from probant_tenants.context import Actor, load_actor, register_bearer_resolver
from probant_tenants.embedding.models import ApiKey
from probant_tenants.tokens import digest


async def _actor_of(
    session: AsyncSession, client: ApiClient, scopes: frozenset[str]
) -> Actor | None:
    membership_user = (
        await session.execute(
            text("SELECT user_id FROM memberships WHERE id = :m"), {"m": client.membership_id}
        )
    ).scalar_one_or_none()
    if membership_user is None:
        return None
    actor = await load_actor(
        session=session,
        user_id=uuid.UUID(str(membership_user)),
        membership_id=client.membership_id,
        via="partner_token",
    )
    if actor is None:
        return None
    granted = scopes & frozenset(client.scopes)
    return Actor(**{**actor.__dict__, "scopes": granted, "api_client_id": client.id})


async def resolve_access_token(
    session: AsyncSession, token: str, connection: HTTPConnection
) -> Actor | None:
    claims = verify(connection.app.state.runtime.settings, token)
    if claims is None:
        return None
    client = await find_client(session=session, client_id=claims.client_id)
    if client is None or client.organisation_id != claims.organisation_id:
        return None
    return await _actor_of(session, client, claims.scopes)


async def resolve_api_key(
    session: AsyncSession, token: str, connection: HTTPConnection
) -> Actor | None:
    """An `sk_` key as a bearer: the same actor as an API client holding every scope."""
    if len(token) > 200:
        return None
    found = await session.execute(text("SELECT probant_api_key_tenant(:h)"), {"h": digest(token)})
    organisation_id = found.scalar_one_or_none()
    if organisation_id is None:
        return None
    organisation = uuid.UUID(str(organisation_id))
    await rescope(session, TenantScope(organisation_id=organisation))
    key = (
        await session.execute(select(ApiKey).where(ApiKey.secret_hash == digest(token)))
    ).scalar_one()
    client = await client_for_api_key(
        session=session, organisation_id=organisation, api_key_id=key.id
    )
    return await _actor_of(session, client, frozenset(client.scopes))


# Our JWTs are compact JWS whose header is base64url JSON, hence always "eyJ".
register_bearer_resolver("eyJ", resolve_access_token)
register_bearer_resolver("sk_", resolve_api_key)
