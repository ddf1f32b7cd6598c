"""Platform operators: created from the command line with the schema owner's rights."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import TenantScope, utcnow
from probant_platform.db.session import acting_as, rescope
from probant_tenants.accounts import add_member, hash_password, memberships_of, normalise_email
from probant_tenants.models import (
    Membership,
    Organisation,
    OrganisationKind,
    PlatformOperator,
    Role,
    User,
)

PLATFORM_NAME = "Probant (opérateurs)"


def register_operators(owner_url: str, user_ids: list[uuid.UUID]) -> None:
    """Record operators; only the schema owner may write this table (the app role reads it)."""
    url = make_url(owner_url).set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for user_id in user_ids:
                connection.execute(
                    text(
                        "INSERT INTO platform_operators (user_id, created_at) VALUES (:u, now()) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    {"u": user_id},
                )
    finally:
        engine.dispose()


async def _platform_organisation(session: AsyncSession) -> uuid.UUID:
    operator = (await session.execute(select(PlatformOperator.user_id).limit(1))).scalar()
    if operator is not None:
        for membership in await memberships_of(session=session, user_id=operator):
            async with acting_as(session, TenantScope(organisation_id=membership.organisation_id)):
                organisation = await session.get(Organisation, membership.organisation_id)
            if organisation is not None and organisation.kind is OrganisationKind.PLATFORM:
                return organisation.id
    organisation_id = uuid.uuid4()
    await rescope(session, TenantScope(organisation_id=organisation_id))
    session.add(
        Organisation(id=organisation_id, kind=OrganisationKind.PLATFORM, name=PLATFORM_NAME)
    )
    await session.flush()
    return organisation_id


async def prepare_operator(
    *, session: AsyncSession, email: str, full_name: str
) -> tuple[uuid.UUID, str | None]:
    """The operator's user (new ones get a one-time password) in the platform organisation."""
    address = normalise_email(email)
    organisation_id = await _platform_organisation(session)
    user = (await session.execute(select(User).where(User.email == address))).scalar_one_or_none()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12) + "-A1"
        user = User(
            id=uuid.uuid4(),
            email=address,
            full_name=full_name,
            password_hash=hash_password(password),
            email_verified_at=utcnow(),
            terms_accepted_at=utcnow(),
        )
        session.add(user)
        await session.flush()
    await rescope(session, TenantScope(organisation_id=organisation_id))
    existing = (
        await session.execute(
            select(Membership).where(
                Membership.organisation_id == organisation_id, Membership.user_id == user.id
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        await add_member(
            session=session, organisation_id=organisation_id, user_id=user.id, role=Role.OPERATOR
        )
    return user.id, password
