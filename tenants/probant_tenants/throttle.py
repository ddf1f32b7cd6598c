"""Sign-in rate limiting: after repeated failures an account or an IP is locked for a while.

Every write here runs in its own short transaction, committed at once: a failed
attempt must count even when the request that made it is rolled back (an operation that
ends in an error undoes its whole transaction, which would otherwise let an attacker guess
without ever being counted).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import Database, utcnow
from probant_tenants.models import AuthThrottle
from probant_tenants.tokens import digest

ACCOUNT_MAX_FAILURES = 5
IP_MAX_FAILURES = 30
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def account_key(email: str) -> str:
    return "account:" + digest(email.lower())[:40]


def ip_key(ip: str | None) -> str | None:
    return f"ip:{ip}" if ip else None


async def locked(*, session: AsyncSession, keys: list[str]) -> bool:
    """Whether any of `keys` is currently locked out (a read: the caller's session will do)."""
    now = utcnow()
    rows = (await session.execute(select(AuthThrottle).where(AuthThrottle.key.in_(keys)))).scalars()
    return any(row.locked_until is not None and row.locked_until > now for row in rows)


async def register_failure(*, database: Database, key: str, limit: int) -> None:
    """Count one failure for `key` (atomically, committed now) and lock it at the window's limit."""
    now = utcnow()
    statement = insert(AuthThrottle).values(key=key, failures=1, window_started_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[AuthThrottle.key], set_={"failures": AuthThrottle.failures + 1}
    )
    async with database.unit_of_work() as session:
        await session.execute(statement)
        row = (
            await session.execute(
                select(AuthThrottle).where(AuthThrottle.key == key).with_for_update()
            )
        ).scalar_one()
        if row.window_started_at + WINDOW < now:
            row.failures, row.window_started_at = 1, now
        if row.failures >= limit:
            row.locked_until = now + LOCKOUT
            row.failures, row.window_started_at = 0, now


async def clear(*, database: Database, key: str) -> None:
    async with database.unit_of_work() as session:
        row = await session.get(AuthThrottle, key, with_for_update=True)
        if row is not None:
            row.failures, row.locked_until = 0, None
