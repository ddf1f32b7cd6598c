"""The `Error` interface every typed mutation error implements, the errors shared by domains,
and the one registry from domain error codes to GraphQL error types.

A domain service raises a `DomainError` with a stable `code` and its message in French and
English (the domain's catalogue). The mutation runner (`core.mutations.run_mutation`) turns it
into the GraphQL type registered for that code, with the message in the request's language.
A domain GraphQL module registers its own types next to their declaration (`register`); a
code nobody registered is an `InvalidInput`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

import strawberry

from probant_platform.errors import DomainError


@strawberry.interface(description="A typed, expected failure; `message` is for a person.")
class Error:
    message: str


@strawberry.type(description="The request carries no valid session or token.")
class NotAuthenticated(Error):
    pass


@strawberry.enum(description="Why an action is not allowed.")
class NotAllowedCode(Enum):
    ROLE = "ROLE"
    CSRF_MISSING = "CSRF_MISSING"
    CSRF_INVALID = "CSRF_INVALID"
    TOKEN_SCOPE = "TOKEN_SCOPE"


@strawberry.type(description="The acting member's role or ownership does not allow this.")
class NotAllowed(Error):
    code: NotAllowedCode = strawberry.field(
        default=NotAllowedCode.ROLE,
        description=(
            "ROLE: the role or ownership; CSRF_MISSING: a cookie-session mutation without the "
            "x-probant-csrf header; CSRF_INVALID: a header that does not match the session; "
            "TOKEN_SCOPE: the token was not minted for this operation."
        ),
    )


@strawberry.type(description="The object does not exist or is not visible to the viewer.")
class NotFound(Error):
    pass


@strawberry.type(description="An argument is malformed or out of bounds.")
class InvalidInput(Error):
    field: str


@strawberry.type(description="The payment provider refused or did not answer; nothing was charged.")
class PaymentUnavailable(Error):
    pass


# The unions mutation results repeat, declared once (each result union keeps its name). The
# order of a union's members is part of the SDL: older unions list the role refusal first.
AuthErrors = NotAuthenticated | NotAllowed
RoleOrAuthErrors = NotAllowed | NotAuthenticated
CommonErrors = NotAuthenticated | NotAllowed | NotFound | InvalidInput

ErrorFactory = Callable[[DomainError, str], Error]
_REGISTRY: dict[str, ErrorFactory] = {}
_SOURCES: dict[str, object] = {}


def simple(graphql_type: type[Error]) -> ErrorFactory:
    """A GraphQL error carrying only the message."""
    return lambda exc, locale: graphql_type(message=exc.message(locale))


def invalid_input(field: str) -> ErrorFactory:
    """`InvalidInput` naming the argument at fault (the API's spelling)."""
    return lambda exc, locale: InvalidInput(message=exc.message(locale), field=field)


def register(code: str, factory: ErrorFactory | type[Error]) -> None:
    """What a domain error code becomes in GraphQL, for every mutation."""
    existing = _SOURCES.get(code)
    if existing is not None and existing is not factory:
        raise ValueError(f"domain error code {code} is registered twice")
    _SOURCES[code] = factory
    _REGISTRY[code] = simple(factory) if isinstance(factory, type) else factory


def to_graphql_error(
    exc: DomainError,
    locale: str,
    *,
    overrides: Mapping[str, ErrorFactory] | None = None,
    default_field: str = "",
) -> Error:
    """The typed GraphQL error for a domain error, in `locale`.

    `overrides` are a mutation's own readings of some codes (another GraphQL type, or the
    argument an `InvalidInput` names); `default_field` names the argument of an unregistered
    code that does not name one itself.
    """
    factory = (overrides or {}).get(exc.code) or _REGISTRY.get(exc.code)
    if factory is not None:
        return factory(exc, locale)
    return InvalidInput(message=exc.message(locale), field=exc.params.get("field", default_field))


register("NOT_FOUND", NotFound)
register("NOT_ALLOWED", NotAllowed)
