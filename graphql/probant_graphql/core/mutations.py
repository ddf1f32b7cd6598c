"""Running a mutation: authentication, CSRF, permission, then the service in a savepoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, NotAllowed, NotAuthenticated
from probant_graphql.permissions import csrf_ok, current_actor, locale_of, may, operation_allowed
from probant_platform.errors import DomainError
from probant_tenants.authz import Permission
from probant_tenants.context import Actor

T = TypeVar("T")

ErrorMapper = Callable[[DomainError, str], Error]


def not_authenticated(locale: str) -> NotAuthenticated:
    return NotAuthenticated(
        message="Veuillez vous connecter." if locale != "en" else "Please log in."
    )


def not_allowed(locale: str) -> NotAllowed:
    return NotAllowed(
        message="Votre rôle ne permet pas cette action."
        if locale != "en"
        else "Your role does not allow this action."
    )


async def authorise_mutation(
    info: Info[Context, Any], permission: Permission | None
) -> Actor | Error:
    """The acting member, or the typed error that says why they cannot run this mutation."""
    actor = await current_actor(info)
    if actor is None:
        return not_authenticated(locale_of(info))
    if not csrf_ok(info, actor) or not operation_allowed(info, actor):
        return not_allowed(actor.locale)
    if permission is not None and not await may(info, actor, permission):
        return not_allowed(actor.locale)
    return actor


async def in_savepoint(
    info: Info[Context, Any],
    run: Callable[[], Awaitable[T]],
    *,
    locale: str,
    errors: ErrorMapper,
) -> T | Error:
    """Run a service; on a domain error undo everything it wrote and return the typed error."""
    session = info.context.session
    savepoint = await session.begin_nested()
    try:
        result = await run()
    except DomainError as exc:
        await savepoint.rollback()
        return errors(exc, locale)
    await savepoint.commit()
    return result
