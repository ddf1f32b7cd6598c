"""Persisted queries: documents stored by SHA-256 (APQ), and an organisation's allow-list of
the documents its API clients may run."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.errors import DomainError
from probant_platform.partners.models import PersistedQuery, QueryAllowList

MAX_QUERY = 100_000
MAX_ALLOWED = 500


class InvalidPersistedQuery(DomainError):
    code = "INVALID_PERSISTED_QUERY"
    message_fr = "Requête vide, trop longue, ou trop de requêtes (au plus {limit})."
    message_en = "Empty or too long query, or too many queries (at most {limit})."


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def remember(session: AsyncSession, query: str) -> str:
    """Store `query` under its hash (once); returns the hash."""
    digest = sha256_of(query)
    await session.execute(
        insert(PersistedQuery)
        .values(sha256=digest, query=query, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    return digest


async def lookup(session: AsyncSession, digest: str) -> str | None:
    found = await session.get(PersistedQuery, digest.lower()[:64])
    return found.query if found is not None else None


async def allow_list(session: AsyncSession, organisation_id: uuid.UUID) -> QueryAllowList | None:
    found = await session.execute(
        select(QueryAllowList).where(QueryAllowList.organisation_id == organisation_id)
    )
    return found.scalar_one_or_none()


async def set_allow_list(
    *, session: AsyncSession, organisation_id: uuid.UUID, enabled: bool, queries: list[str]
) -> QueryAllowList:
    """Replace the organisation's allowed documents (stored as persisted queries too)."""
    if len(queries) > MAX_ALLOWED or any(not q.strip() or len(q) > MAX_QUERY for q in queries):
        raise InvalidPersistedQuery(limit=MAX_ALLOWED)
    hashes = sorted({await remember(session, q) for q in queries})
    current = await allow_list(session, organisation_id)
    if current is None:
        current = QueryAllowList(organisation_id=organisation_id, enabled=enabled, hashes=[])
        session.add(current)
    current.enabled, current.hashes, current.updated_at = enabled, hashes, utcnow()
    await session.flush()
    return current
