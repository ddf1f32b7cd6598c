"""The one place that knows who is acting in a request: user, organisation, role.

A request is identified by its session cookie, or by a bearer token whose prefix selects a
registered resolver (capture tokens, partner access tokens). The resolved `Actor` pins the
database session to the actor's tenant, so row-level security applies to every query after.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from probant_platform import locales
from probant_platform.db import TenantScope
from probant_platform.db.session import rescope
from probant_tenants.authz import Authorizer, Permission
from probant_tenants.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from probant_tenants.sessions import SESSION_COOKIE, find_live_session


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organisation, with which role, and how they proved it."""

    user_id: uuid.UUID
    email: str
    full_name: str
    locale: str
    email_verified: bool
    membership_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_kind: OrganisationKind
    role: Role
    policy_version: int
    via: str  # "session", "capture_token", "partner_token"
    session_id: uuid.UUID | None = None
    csrf_token: str | None = None
    # For tokens that allow only some operations (a capture token allows capture and sealing).
    allowed_operations: frozenset[str] | None = field(default=None)
    # A partner token's OAuth scopes (None: not a partner token, the role alone decides) and
    # the API client it was issued to.
    scopes: frozenset[str] | None = field(default=None)
    api_client_id: uuid.UUID | None = None

    @property
    def scope(self) -> TenantScope:
        office = (
            self.organisation_id
            if self.organisation_kind is OrganisationKind.BAILIFF_OFFICE
            else None
        )
        return TenantScope(
            organisation_id=self.organisation_id, user_id=self.user_id, office_id=office
        )

    @property
    def is_admin(self) -> bool:
        """Whether the actor uses the organisation's wallet (API clients act as the
        organisation, so they do too)."""
        return self.role in (Role.OWNER, Role.ADMIN, Role.PARTNER)


BearerResolver = Callable[[AsyncSession, str, HTTPConnection], Awaitable["Actor | None"]]
_bearer_resolvers: dict[str, BearerResolver] = {}


def register_bearer_resolver(prefix: str, resolver: BearerResolver) -> None:
    """Let another kind of token (e.g. `pct_` capture tokens) identify requests; the resolver
    also sees the request (to check its origin)."""
    _bearer_resolvers[prefix] = resolver


async def resolve_actor(*, session: AsyncSession, connection: HTTPConnection) -> Actor | None:
    """Identify the request's actor and pin `session` to their tenant; None when anonymous."""
    authorization = connection.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        for prefix, resolver in _bearer_resolvers.items():
            if token.startswith(prefix):
                actor = await resolver(session, token, connection)
                if actor is not None:
                    await rescope(session, actor.scope)
                    actor = _widget_language(actor, connection)
                return actor
        return None
    cookie = connection.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    record = await find_live_session(session=session, token=cookie)
    if record is None:
        return None
    actor = await load_actor(
        session=session, user_id=record.user_id, membership_id=record.membership_id, via="session"
    )
    if actor is None:
        return None
    return Actor(**{**actor.__dict__, "session_id": record.id, "csrf_token": record.csrf_token})


def _widget_language(actor: Actor, connection: HTTPConnection) -> Actor:
    """The capture widget's `lang` (sent as Accept-Language) is the host page's explicit choice
    and wins over the account's language, so the widget never mixes two languages."""
    chosen = locales.from_accept_language(connection.headers.get("accept-language"))
    if actor.via != "capture_token" or chosen is None:
        return actor
    return replace(actor, locale=chosen)


async def load_actor(
    *, session: AsyncSession, user_id: uuid.UUID, membership_id: uuid.UUID, via: str
) -> Actor | None:
    """The actor for an active membership of a live user, with `session` pinned to its tenant."""
    await rescope(session, TenantScope(user_id=user_id))
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == membership_id, Membership.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        return None
    membership, user = row
    if membership.status is not MembershipStatus.ACTIVE or user.deleted_at is not None:
        return None
    await rescope(session, TenantScope(organisation_id=membership.organisation_id, user_id=user_id))
    organisation = await session.get(Organisation, membership.organisation_id)
    if organisation is None or organisation.deleted_at is not None:
        return None
    actor = Actor(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        locale=user.locale,
        email_verified=user.email_verified_at is not None,
        membership_id=membership.id,
        organisation_id=organisation.id,
        organisation_kind=organisation.kind,
        role=membership.role,
        policy_version=organisation.policy_version,
        via=via,
    )
    await rescope(session, actor.scope)
    return actor


async def actor_may(
    *, authorizer: Authorizer, session: AsyncSession, actor: Actor, permission: Permission
) -> bool:
    """Whether the actor's role in their organisation grants `permission` (rules kept fresh)."""
    if not authorizer.is_fresh(actor.organisation_id, actor.policy_version):
        await authorizer.refresh(
            session=session, organisation_id=actor.organisation_id, version=actor.policy_version
        )
    return authorizer.may(
        user_id=actor.user_id, organisation_id=actor.organisation_id, permission=permission
    )
