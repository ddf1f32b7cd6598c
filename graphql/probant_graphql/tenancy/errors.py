"""Typed errors of the account, member and profile mutations, registered for their domain
codes."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, invalid_input, register, simple
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


@strawberry.type
class AlreadyMember(Error):
    pass


@strawberry.type
class SeatLimitReached(Error):
    limit: int


@strawberry.type
class LastOwner(Error):
    pass


@strawberry.type
class LastOwnerError(Error):
    pass


def _weak_password(exc: DomainError, locale: str) -> Error:
    assert isinstance(exc, domain.WeakPassword)
    return WeakPassword(message=exc.message(locale), unmet_rules=list(exc.rules))


def _seat_limit(exc: DomainError, locale: str) -> Error:
    return SeatLimitReached(message=exc.message(locale), limit=exc.params["limit"])


register("WEAK_PASSWORD", _weak_password)
register("INVALID_NAME", invalid_input("name"))
register("UNSUPPORTED_LOCALE", invalid_input("locale"))
register("INVALID_SIREN", InvalidSiren)
register("SIREN_REQUIRED", SirenRequired)
register("EMAIL_TAKEN", EmailTaken)
register("INVALID_EMAIL", InvalidEmail)
register("TERMS_NOT_ACCEPTED", TermsNotAccepted)
register("INVALID_CREDENTIALS", InvalidCredentials)
register("ACCOUNT_LOCKED", AccountLocked)
register("INVALID_TOKEN", InvalidToken)
register("ALREADY_MEMBER", AlreadyMember)
register("SEAT_LIMIT_REACHED", _seat_limit)
register("LAST_OWNER", LastOwner)
# Account deletion names the last-owner refusal with its own type (members use `LastOwner`).
DELETION_ERRORS = {"LAST_OWNER": simple(LastOwnerError)}
