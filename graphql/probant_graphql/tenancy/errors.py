"""Typed errors of the account and member mutations, and the mapping from domain errors."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotFound
from probant_platform.errors import DomainError
from probant_tenants import errors as domain
from probant_tenants.passwords import PasswordRule

PasswordRuleEnum = strawberry.enum(PasswordRule, name="PasswordRule")


@strawberry.type
class WeakPassword(Error):
    unmet_rules: list[PasswordRuleEnum]  # type: ignore[valid-type]


@strawberry.type
class InvalidSiren(Error):
    pass


@strawberry.type
class SirenRequired(Error):
    pass


@strawberry.type
class EmailTaken(Error):
    pass


@strawberry.type
class InvalidEmail(Error):
    pass


@strawberry.type
class TermsNotAccepted(Error):
    pass


@strawberry.type
class InvalidCredentials(Error):
    pass


@strawberry.type
class AccountLocked(Error):
    pass


@strawberry.type
class InvalidToken(Error):
    pass


_SIMPLE: dict[type[DomainError], type[Error]] = {
    domain.InvalidSiren: InvalidSiren,
    domain.SirenRequired: SirenRequired,
    domain.EmailTaken: EmailTaken,
    domain.InvalidEmail: InvalidEmail,
    domain.TermsNotAccepted: TermsNotAccepted,
    domain.InvalidCredentials: InvalidCredentials,
    domain.AccountLocked: AccountLocked,
    domain.InvalidToken: InvalidToken,
}


def to_graphql_error(exc: DomainError, locale: str) -> Error:
    """The typed GraphQL error for a domain error, in the viewer's language."""
    message = exc.message(locale)
    if isinstance(exc, domain.WeakPassword):
        return WeakPassword(message=message, unmet_rules=list(exc.rules))
    if isinstance(exc, domain.InvalidName):
        return InvalidInput(message=message, field="name")
    for domain_type, graphql_type in _SIMPLE.items():
        if isinstance(exc, domain_type):
            return graphql_type(message=message)
    if exc.code == "NOT_FOUND":
        return NotFound(message=message)
    if exc.code == "NOT_ALLOWED":
        return NotAllowed(message=message)
    return InvalidInput(message=message, field=exc.params.get("field", ""))
