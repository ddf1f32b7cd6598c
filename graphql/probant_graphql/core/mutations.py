"""Running a mutation: authentication, CSRF, permission, then the service in a savepoint.

`run_mutation` is the one way a mutation runs: a resolver translates its arguments, names the
permission, and hands over the service call; the runner returns the payload or the typed
error (through the registry in `core.errors`). `run_anonymous` is the same for the few
mutations open to anonymous callers (sign-up, reset links).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import (
    Error,
    ErrorFactory,
    NotAllowed,
    NotAllowedCode,
    NotAuthenticated,
    to_graphql_error,
)
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


async def run_mutation(
    info: Info[Context, Any],
    permission: Permission | None,
    service: Callable[[Actor], Awaitable[T]],
    *,
    overrides: Mapping[str, ErrorFactory] | None = None,
    default_field: str = "",
) -> Any:
    """Authorise the actor for `permission` (None: any authenticated actor), run
    `service(actor)` in a savepoint, and map a domain error to its GraphQL type in the
    actor's language. Returns the payload or an `Error` (typed `Any`: the resolver's
    declared result union is what the schema shows)."""
    actor = await authorise_mutation(info, permission)
    if isinstance(actor, Error):
        return actor
    return await in_savepoint(
        info,
        lambda: service(actor),
        locale=actor.locale,
        errors=lambda exc, locale: to_graphql_error(
            exc, locale, overrides=overrides, default_field=default_field
        ),
    )


async def run_anonymous(
    info: Info[Context, Any],
    service: Callable[[], Awaitable[T]],
    *,
    locale: str | None = None,
    savepoint: bool = True,
) -> Any:
    """A mutation open to anyone: the service in a savepoint, errors in the request's language
    (or `locale`). `savepoint=False` keeps what the service wrote before failing (a failed
    log-in still counts towards the lockout)."""
    locale = locale or locale_of(info)
    if savepoint:
        return await in_savepoint(info, service, locale=locale, errors=to_graphql_error)
    try:
        return await service()
    except DomainError as exc:
        return to_graphql_error(exc, locale)
