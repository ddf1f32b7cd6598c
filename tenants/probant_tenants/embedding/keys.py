"""Creating and revoking keys, minting capture tokens, and recognising them on requests."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from probant_platform.db import TenantScope, utcnow
from probant_platform.db.session import rescope
from probant_platform.text import clean_line
from probant_tenants.context import Actor, load_actor, register_bearer_resolver
from probant_tenants.embedding.errors import (
    InvalidApiKey,
    InvalidOrigin,
    InvalidWidgetKey,
    KeyNotFound,
    MemberNotAllowed,
)
from probant_tenants.embedding.models import ApiKey, CaptureToken, WidgetKey
from probant_tenants.models import Membership, MembershipStatus, User
from probant_tenants.tokens import digest

CAPTURE_TOKEN_LIFETIME = timedelta(minutes=10)
MAX_ORIGINS = 20
CAPTURE_OPERATIONS = frozenset(
    {
        "startCapture",
        "stageUpload",
        "stageUploads",
        "updateDeposit",
        "deleteItem",
        "depositQuote",
        "sealDeposit",
        "depositCertificate",
    }
)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def normalise_origin(value: str) -> str:
    """`scheme://host[:port]` exactly as browsers send it; https unless local."""
    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower()
    local = host in LOCAL_HOSTS or host == "::1"
    if (
        parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not local)
        or not host
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise InvalidOrigin(origin=value[:100])
    port = f":{parts.port}" if parts.port else ""
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}{port}"


async def create_widget_key(
    *, session: AsyncSession, organisation_id: uuid.UUID, origins: list[str], user_id: uuid.UUID
) -> WidgetKey:
    if not 0 < len(origins) <= MAX_ORIGINS:
        raise InvalidOrigin(origin="")
    normalised = sorted({normalise_origin(o) for o in origins})
    key = WidgetKey(
        organisation_id=organisation_id,
        public_key="pk_" + secrets.token_urlsafe(18),
        allowed_origins=normalised,
        created_by=user_id,
        created_at=utcnow(),
    )
    session.add(key)
    await session.flush()
    return key


@dataclass(frozen=True)
class IssuedApiKey:
    record: ApiKey
    secret: str


async def create_api_key(
    *, session: AsyncSession, organisation_id: uuid.UUID, name: str, user_id: uuid.UUID
) -> IssuedApiKey:
    """A new secret key; its value is returned once and only its hash is kept."""
    label = clean_line(name, max_length=100) or "API"
    secret = "sk_" + secrets.token_urlsafe(32)
    record = ApiKey(
        organisation_id=organisation_id,
        name=label,
        prefix=secret[:10],
        secret_hash=digest(secret),
        created_by=user_id,
        created_at=utcnow(),
    )
    session.add(record)
    await session.flush()
    return IssuedApiKey(record=record, secret=secret)


async def mint_capture_token(
    *, session: AsyncSession, api_secret: str, public_key: str, member_email: str
) -> tuple[str, CaptureToken]:
    """Server to server: a capture token for one member, on a widget key of the same tenant."""
    organisation_id = await _tenant_of(session, "probant_api_key_tenant", api_secret)
    if organisation_id is None:
        raise InvalidApiKey()
    await rescope(session, TenantScope(organisation_id=organisation_id))
    api_key = (
        await session.execute(select(ApiKey).where(ApiKey.secret_hash == digest(api_secret)))
    ).scalar_one()
    widget_key = (
        await session.execute(
            select(WidgetKey).where(
                WidgetKey.public_key == public_key, WidgetKey.revoked_at.is_(None)
            )
        )
    ).scalar_one_or_none()
    if widget_key is None:
        raise InvalidWidgetKey()
    membership = (
        await session.execute(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                func.lower(User.email) == member_email.strip().lower(),
                Membership.status == MembershipStatus.ACTIVE,
                User.email_verified_at.is_not(None),
            )
        )
    ).scalar_one_or_none()
    if membership is None:
        raise MemberNotAllowed()
    token = "pct_" + secrets.token_urlsafe(32)
    now = utcnow()
    record = CaptureToken(
        organisation_id=organisation_id,
        token_hash=digest(token),
        membership_id=membership.id,
        widget_key_id=widget_key.id,
        api_key_id=api_key.id,
        created_at=now,
        expires_at=now + CAPTURE_TOKEN_LIFETIME,
    )
    api_key.last_used_at = now
    session.add(record)
    await session.flush()
    return token, record


async def _tenant_of(session: AsyncSession, function: str, secret: str) -> uuid.UUID | None:
    if not secret or len(secret) > 200:
        return None
    found = await session.execute(text(f"SELECT {function}(:h)"), {"h": digest(secret)})
    value = found.scalar_one_or_none()
    return uuid.UUID(str(value)) if value else None


@dataclass(frozen=True)
class CaptureGrant:
    actor: Actor
    allowed_origins: list[str]


async def capture_grant(session: AsyncSession, token: str) -> CaptureGrant | None:
    """The restricted actor a capture token stands for, and the origins it may be used from."""
    organisation_id = await _tenant_of(session, "probant_capture_token_tenant", token)
    if organisation_id is None:
        return None
    await rescope(session, TenantScope(organisation_id=organisation_id))
    row = (
        await session.execute(
            select(CaptureToken, WidgetKey, Membership)
            .join(WidgetKey, WidgetKey.id == CaptureToken.widget_key_id)
            .join(Membership, Membership.id == CaptureToken.membership_id)
            .where(
                CaptureToken.token_hash == digest(token),
                CaptureToken.expires_at > utcnow(),
                WidgetKey.revoked_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    _, widget_key, membership = row
    actor = await load_actor(
        session=session,
        user_id=membership.user_id,
        membership_id=membership.id,
        via="capture_token",
    )
    if actor is None:
        return None
    restricted = Actor(**{**actor.__dict__, "allowed_operations": CAPTURE_OPERATIONS})
    return CaptureGrant(actor=restricted, allowed_origins=list(widget_key.allowed_origins))


async def origin_allowed(session: AsyncSession, origin: str) -> bool:
    found = await session.execute(text("SELECT probant_origin_allowed(:o)"), {"o": origin})
    return bool(found.scalar_one())


async def resolve_capture_token(
    session: AsyncSession, token: str, connection: HTTPConnection
) -> Actor | None:
    """A `pct_` bearer, valid only from an origin its widget key allows (or our own pages)."""
    grant = await capture_grant(session, token)
    if grant is None:
        return None
    origin = connection.headers.get("origin")
    own = f"{connection.url.scheme}://{connection.url.netloc}"
    if origin and origin != own and origin not in grant.allowed_origins:
        return None
    return grant.actor


register_bearer_resolver("pct_", resolve_capture_token)


async def list_widget_keys(*, session: AsyncSession, organisation_id: uuid.UUID) -> list[WidgetKey]:
    """The organisation's widget keys, newest first (revoked ones too)."""
    rows = await session.execute(
        select(WidgetKey)
        .where(WidgetKey.organisation_id == organisation_id)
        .order_by(WidgetKey.created_at.desc())
    )
    return list(rows.scalars())


async def list_api_keys(*, session: AsyncSession, organisation_id: uuid.UUID) -> list[ApiKey]:
    """The organisation's secret API keys (their hashes only), newest first."""
    rows = await session.execute(
        select(ApiKey)
        .where(ApiKey.organisation_id == organisation_id)
        .order_by(ApiKey.created_at.desc())
    )
    return list(rows.scalars())


async def revoke_key(
    *, session: AsyncSession, organisation_id: uuid.UUID, key_id: uuid.UUID
) -> ApiKey | WidgetKey:
    """Revoke an API key or a widget key of the organisation at once (again: no change)."""
    for model in (ApiKey, WidgetKey):
        key: ApiKey | WidgetKey | None = await session.get(model, key_id)
        if key is not None and key.organisation_id == organisation_id:
            key.revoked_at = key.revoked_at or utcnow()
            return key
    raise KeyNotFound()
