"""Who is asking, and may they: every resolver goes through these helpers.

Query fields raise `PermissionDenied` (a GraphQL error with a code); mutations return the
typed errors `NotAuthenticated` / `NotAllowed` as part of their result union.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, OperationType
from strawberry.types import Info

from probant_graphql.context import Context
from probant_platform import locales
from probant_tenants.authz import Permission, get_authorizer
from probant_tenants.context import Actor, actor_may, resolve_actor
from probant_tenants.sessions import CSRF_HEADER

_ACTOR_KEY = "actor"
_DECISION_KEY = "may"
_MISSING = object()

# What a partner token needs besides its role: the scopes (any one of them) that grant each
# permission. A permission missing here is never granted to a partner token.
PERMISSION_SCOPES: dict[Permission, frozenset[str]] = {
    Permission.ORGANISATION_READ: frozenset(),  # any token reads its own organisation
    Permission.DEPOSITS_CREATE: frozenset({"deposits:write"}),
    Permission.DEPOSITS_READ_OWN: frozenset({"deposits:read"}),
    Permission.DEPOSITS_READ_ALL: frozenset({"deposits:read", "deposits:write"}),
    Permission.CREDITS_READ_ALL: frozenset({"credits:read"}),
    Permission.CONSTAT_ORDER: frozenset({"bailiffs:submit"}),
    Permission.WEBHOOKS_MANAGE: frozenset({"webhooks:manage"}),
}
# Fields whose data needs a scope beyond the permission their resolver checks (checked on
# by `probant_graphql.field_scopes.guard_field_scopes`, on these fields only).
FIELD_SCOPES: dict[str, frozenset[str]] = {
    "Mutation.submitDeposit": frozenset({"bailiffs:submit"}),
    "Deposit.certificateUrl": frozenset({"documents:read"}),
    "Deposit.exportUrl": frozenset({"documents:read"}),
    "Deposit.proofBundle": frozenset({"documents:read"}),
    "OfficeDocument.downloadUrl": frozenset({"documents:read"}),
    "Query.creditBalance": frozenset({"credits:read"}),
    "Query.ledgerEntries": frozenset({"credits:read"}),
    "Query.ledgerEntriesCsv": frozenset({"credits:read"}),
}


def scope_allows(actor: Actor, permission: Permission) -> bool:
    """Whether a partner token's scopes grant this permission (other actors: always)."""
    if actor.scopes is None:
        return True
    needed = PERMISSION_SCOPES.get(permission)
    return needed is not None and (not needed or bool(needed & actor.scopes))


def field_scope_allows(actor: Actor | None, field: str) -> bool:
    """Whether a partner token's scopes let it see `Type.field` (other actors: always)."""
    needed = FIELD_SCOPES.get(field)
    return needed is None or actor is None or actor.scopes is None or bool(needed & actor.scopes)


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


def cached_actor(info: Info[Context, Any]) -> Actor | None:
    """The request's actor if `current_actor` already resolved one (no database access)."""
    actor = info.context.cache.get(_ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def locale_of(info: Info[Context, Any], actor: Actor | None = None) -> str:
    """The account's language, else the request's Accept-Language, else French."""
    if actor is None:
        cached = info.context.cache.get(_ACTOR_KEY)
        actor = cached if isinstance(cached, Actor) else None
    return locales.choose(
        account=actor.locale if actor is not None else None,
        accept_language=info.context.request.headers.get("accept-language"),
    )


def csrf_problem(info: Info[Context, Any], actor: Actor) -> str | None:
    """Cookie-authenticated mutations must echo the session's CSRF token in a header:
    None when they do, else CSRF_MISSING or CSRF_INVALID."""
    if actor.via != "session" or info.operation.operation is not OperationType.MUTATION:
        return None
    sent = info.context.request.headers.get(CSRF_HEADER)
    if not sent:
        return "CSRF_MISSING"
    return None if sent == actor.csrf_token else "CSRF_INVALID"


def operation_allowed(info: Info[Context, Any], actor: Actor) -> bool:
    """Restricted tokens (capture tokens) may call only the fields they were minted for."""
    if actor.allowed_operations is None:
        return True
    return info.field_name in actor.allowed_operations


async def may(info: Info[Context, Any], actor: Actor, permission: Permission) -> bool:
    """Whether the actor may; decided once per request and permission (a page of twenty
    deposits asks the same question for every row)."""
    if not scope_allows(actor, permission):
        return False
    key = f"{_DECISION_KEY}:{actor.membership_id}:{permission.value}"
    decided = info.context.cache.get(key)
    if decided is None:
        decided = await actor_may(
            authorizer=get_authorizer(),
            session=info.context.session,
            actor=actor,
            permission=permission,
        )
        info.context.cache[key] = decided
    return bool(decided)


async def require(info: Info[Context, Any], permission: Permission | None = None) -> Actor:
    """The actor, if authenticated and allowed; else a GraphQL error (for query fields)."""
    actor = await current_actor(info)
    english = locale_of(info, actor) == "en"
    if actor is None:
        raise PermissionDenied(
            "NOT_AUTHENTICATED",
            "Authentication required: please log in." if english else "Veuillez vous connecter.",
        )
    if not operation_allowed(info, actor) or (
        permission is not None and not await may(info, actor, permission)
    ):
        raise PermissionDenied(
            "NOT_ALLOWED",
            "Your role does not allow this." if english else "Votre rôle ne permet pas cela.",
        )
    return actor
