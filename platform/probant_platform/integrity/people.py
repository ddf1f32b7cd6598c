"""Who a deposit belongs to, read for documents and emails (names, addresses, languages).

Read with plain SQL so the integrity domain does not depend on the tenants package; the
query runs in the deposit's tenant scope, so row-level security still applies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class AuthorView:
    organisation_name: str
    organisation_locale: str
    full_name: str
    email: str | None
    locale: str


async def author_of(*, session: AsyncSession, membership_id: uuid.UUID) -> AuthorView:
    row = (
        await session.execute(
            text(
                "SELECT o.name, o.locale, u.full_name, u.email, u.locale, u.deleted_at"
                " FROM memberships m JOIN organisations o ON o.id = m.organisation_id"
                " JOIN users u ON u.id = m.user_id WHERE m.id = :membership"
            ),
            {"membership": membership_id},
        )
    ).one()
    return AuthorView(
        organisation_name=row[0],
        organisation_locale=row[1] or "fr",
        full_name=row[2] or "",
        email=None if row[5] is not None else row[3],
        locale=row[4] or "fr",
    )
