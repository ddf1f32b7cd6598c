"""Running a mutation: authentication, CSRF, permission, then the service in a savepoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, NotAllowed, NotAllowedCode, NotAuthenticated
from probant_graphql.permissions import (
    csrf_problem,
    current_actor,
    locale_of,
    may,
    operation_allowed,
)
from probant_platform.errors import DomainError
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.sessions import CSRF_HEADER

T = TypeVar("T")

ErrorMapper = Callable[[DomainError, str], Error]


def not_authenticated(locale: str) -> NotAuthenticated:
    return NotAuthenticated(
        message="Veuillez vous connecter." if locale != "en" else "Please log in."
    )


NOT_ALLOWED_MESSAGES = {
    NotAllowedCode.ROLE: (
        "Votre rôle ne permet pas cette action.",
        "Your role does not allow this action.",
    ),
    NotAllowedCode.CSRF_MISSING: (
        f"L'en-tête {CSRF_HEADER} manque : une mutation envoyée avec le cookie de session doit "
        "renvoyer le jeton CSRF reçu à la connexion (csrfToken).",
        f"The {CSRF_HEADER} header is missing: a mutation sent with the session cookie must "
        "send back the CSRF token received at log-in (csrfToken).",
    ),
    NotAllowedCode.CSRF_INVALID: (
        f"L'en-tête {CSRF_HEADER} ne correspond pas à cette session : reconnectez-vous.",
        f"The {CSRF_HEADER} header does not match this session: log in again.",
    ),
    NotAllowedCode.TOKEN_SCOPE: (
        "Ce jeton ne permet pas cette opération.",
        "This token does not allow this operation.",
    ),
}


def not_allowed(locale: str, code: NotAllowedCode = NotAllowedCode.ROLE) -> NotAllowed:
    french, english = NOT_ALLOWED_MESSAGES[code]
    return NotAllowed(message=english if locale == "en" else french, code=code)


async def authorise_mutation(
    info: Info[Context, Any], permission: Permission | None
) -> Actor | Error:
    """The acting member, or the typed error that says why they cannot run this mutation."""
    actor = await current_actor(info)
    if actor is None:
        return not_authenticated(locale_of(info))
    csrf = csrf_problem(info, actor)
    if csrf is not None:
        return not_allowed(actor.locale, NotAllowedCode(csrf))
    if not operation_allowed(info, actor):
        return not_allowed(actor.locale, NotAllowedCode.TOKEN_SCOPE)
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
