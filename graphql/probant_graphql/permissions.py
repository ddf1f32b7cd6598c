"""Who is asking, and may they: every resolver goes through these helpers.

Query fields raise `PermissionDenied` (a GraphQL error with a code); mutations return the
typed errors `NotAuthenticated` / `NotAllowed` as part of their result union.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, OperationType
from strawberry.types import Info

from probant_graphql.context import Context
from probant_tenants.authz import Permission, get_authorizer
from probant_tenants.context import Actor, actor_may, resolve_actor
from probant_tenants.sessions import CSRF_HEADER

_ACTOR_KEY = "actor"
_MISSING = object()


class PermissionDenied(GraphQLError):
    def __init__(self, code: str, message: str):
        super().__init__(message, extensions={"code": code})


async def current_actor(info: Info[Context, Any]) -> Actor | None:
    """The request's actor (resolved once per request); pins the session to their tenant.

    A restricted token (a capture token) is anonymous on every field it was not minted for:
    it cannot read the viewer, the archive or any node.
    """
    cache = info.context.cache
    actor = cache.get(_ACTOR_KEY, _MISSING)
    if actor is _MISSING:
        actor = await resolve_actor(session=info.context.session, connection=info.context.request)
        cache[_ACTOR_KEY] = actor
    if actor is not None and not operation_allowed(info, actor):
        return None
    return actor


def locale_of(info: Info[Context, Any], actor: Actor | None = None) -> str:
    if actor is not None:
        return actor.locale
    header = info.context.request.headers.get("accept-language", "")
    return "en" if header.lower().startswith("en") else "fr"


def csrf_ok(info: Info[Context, Any], actor: Actor) -> bool:
    """Cookie-authenticated mutations must echo the session's CSRF token in a header."""
    if actor.via != "session" or info.operation.operation is not OperationType.MUTATION:
        return True
    return info.context.request.headers.get(CSRF_HEADER) == actor.csrf_token


def operation_allowed(info: Info[Context, Any], actor: Actor) -> bool:
    """Restricted tokens (capture tokens) may call only the fields they were minted for."""
    if actor.allowed_operations is None:
        return True
    return info.field_name in actor.allowed_operations


async def may(info: Info[Context, Any], actor: Actor, permission: Permission) -> bool:
    return await actor_may(
        authorizer=get_authorizer(),
        session=info.context.session,
        actor=actor,
        permission=permission,
    )


async def require(info: Info[Context, Any], permission: Permission | None = None) -> Actor:
    """The actor, if authenticated and allowed; else a GraphQL error (for query fields)."""
    actor = await current_actor(info)
    if actor is None:
        raise PermissionDenied(
            "NOT_AUTHENTICATED", "Authentification requise / Authentication required"
        )
    if not operation_allowed(info, actor) or (
        permission is not None and not await may(info, actor, permission)
    ):
        raise PermissionDenied("NOT_ALLOWED", "Action non autorisée / Not allowed")
    return actor
