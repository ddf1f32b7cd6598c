"""The one place that knows who is acting in a request: user, organisation, role.

A request is identified by its session cookie, or by a bearer token whose prefix selects a
registered resolver (capture tokens, partner access tokens). The resolved `Actor` pins the
database session to the actor's tenant, so row-level security applies to every query after.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Row, Uuid, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from probant_platform import locales
from probant_platform.db import TenantScope
from probant_platform.db.session import NO_TENANT, SCOPE_KEY, rescope
from probant_tenants.authz import Authorizer, Permission
from probant_tenants.models import OrganisationKind, Role
from probant_tenants.sessions import IDLE_TIMEOUT, SESSION_COOKIE, SESSION_TOUCH
from probant_tenants.tokens import digest


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
                if actor is None:
                    return None
                if session.info.get(SCOPE_KEY) != actor.scope:
                    await rescope(session, actor.scope)
                return _widget_language(actor, connection)
        return None
    cookie = connection.cookies.get(SESSION_COOKIE)
    if not cookie or len(cookie) > 128:
        return None
    row = (
        await session.execute(
            _REQUEST_SCOPE,
            {"token_hash": digest(cookie), "idle": IDLE_TIMEOUT, "touch": SESSION_TOUCH},
        )
    ).one_or_none()
    return _actor_from_row(session, row, via="session")


# One round trip each (migration 0950): the checks and the three tenant settings happen in
# the database, through the same row-level-security policies, on every request (no cache, so
# a revoked session or a removed member is refused at once).
_REQUEST_SCOPE = text("SELECT * FROM probant_request_scope(:token_hash, :idle, :touch)").columns(
    session_id=Uuid(), user_id=Uuid(), membership_id=Uuid(), organisation_id=Uuid()
)
_MEMBER_SCOPE = text("SELECT * FROM probant_member_scope(:user_id, :membership_id)").columns(
    session_id=Uuid(), user_id=Uuid(), membership_id=Uuid(), organisation_id=Uuid()
)


def _actor_from_row(session: AsyncSession, row: Row[Any] | None, *, via: str) -> Actor | None:
    """The actor of a scope function's row; the settings it made become the session's scope
    (for the transactions the session opens later), without another statement."""
    if row is None:
        session.info[SCOPE_KEY] = NO_TENANT
        return None
    actor = Actor(
        user_id=row.user_id,
        email=row.email,
        full_name=row.full_name,
        locale=row.locale,
        email_verified=row.email_verified,
        membership_id=row.membership_id,
        organisation_id=row.organisation_id,
        organisation_kind=OrganisationKind(row.organisation_kind),
        role=Role(row.role),
        policy_version=row.policy_version,
        via=via,
        session_id=row.session_id,
        csrf_token=row.csrf_token,
    )
    session.info[SCOPE_KEY] = actor.scope
    return actor


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
    row = (
        await session.execute(_MEMBER_SCOPE, {"user_id": user_id, "membership_id": membership_id})
    ).one_or_none()
    return _actor_from_row(session, row, via=via)


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
