"""Browser sessions: an HttpOnly cookie with a random token, and a CSRF token for mutations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_tenants.models import UserSession
from probant_tenants.tokens import digest, new_secret

SESSION_COOKIE = "probant_session"
CSRF_COOKIE = "probant_csrf"
CSRF_HEADER = "x-probant-csrf"
SESSION_LIFETIME = timedelta(days=14)
IDLE_TIMEOUT = timedelta(days=2)
# A session's last-seen time is written at most this often (not on every request).
SESSION_TOUCH = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedSession:
    token: str
    csrf_token: str
    record: UserSession


async def open_session(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    membership_id: uuid.UUID,
    ip: str | None,
    user_agent: str | None,
) -> IssuedSession:
    """Start a session for `user_id` acting in the membership's organisation."""
    token, csrf = new_secret(), new_secret(16)
    now = utcnow()
    record = UserSession(
        token_hash=digest(token),
        csrf_token=csrf,
        user_id=user_id,
        membership_id=membership_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
        ip=ip,
        user_agent=(user_agent or "")[:400] or None,
    )
    session.add(record)
    await session.flush()
    return IssuedSession(token=token, csrf_token=csrf, record=record)


async def find_live_session(*, session: AsyncSession, token: str) -> UserSession | None:
    """The unexpired, unrevoked session for a cookie token; touches its last-seen time."""
    if not token or len(token) > 128:
        return None
    now = utcnow()
    record = (
        await session.execute(select(UserSession).where(UserSession.token_hash == digest(token)))
    ).scalar_one_or_none()
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        return None
    if record.last_seen_at + IDLE_TIMEOUT <= now:
        return None
    if now - record.last_seen_at > SESSION_TOUCH:
        record.last_seen_at = now
    return record


async def revoke_session(*, session: AsyncSession, session_id: uuid.UUID) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_user_sessions(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    membership_id: uuid.UUID | None = None,
    except_session_id: uuid.UUID | None = None,
) -> None:
    """End every session of a user (or only those in one membership), keeping one if asked."""
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if membership_id is not None:
        query = query.where(UserSession.membership_id == membership_id)
    if except_session_id is not None:
        query = query.where(UserSession.id != except_session_id)
    await session.execute(query.values(revoked_at=utcnow()))
