"""Typed errors of the bailiff-office mutations, and the mapping from domain errors."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, InvalidInput, NotFound
from probant_graphql.ledger.types import InsufficientCredits
from probant_graphql.tenancy import errors as tenancy_errors
from probant_platform.bailiffs import errors as domain
from probant_platform.errors import DomainError
from probant_platform.evidence import errors as evidence_errors
from probant_platform.ledger import errors as ledger_errors
from probant_tenants import errors as tenant_errors


@strawberry.type(description="The deposit is still a draft: seal it first.")
class NotSealed(Error):
    pass


@strawberry.type(description="The deposit was already sent to an office.")
class AlreadySubmitted(Error):
    pass


@strawberry.type(description="No office accepts deposits for this place (or none is chosen).")
class NoOfficeAvailable(Error):
    pass


@strawberry.type(description="The chosen office does not accept deposits at the moment.")
class OfficeNotAccepting(Error):
    pass


@strawberry.type(description="The submission was already accepted or rejected.")
class AlreadyDecided(Error):
    pass


@strawberry.type(description="Another clerk of the office reviews this submission.")
class ClaimedByAnother(Error):
    claimed_by: str


@strawberry.type(description="A stored file no longer matches its sealed hash.")
class FileAltered(Error):
    pass


@strawberry.type(description="The action is not possible in the object's current state.")
class InvalidState(Error):
    status: str


@strawberry.type(description="Only sealed or accepted deposits become a PV de constat.")
class NotConvertible(Error):
    pass


@strawberry.type(description="Fields of the requester's legal identity are missing.")
class LegalIdentityIncomplete(Error):
    missing_fields: list[str]


@strawberry.type(description="The office's quote is no longer valid.")
class QuoteExpired(Error):
    pass


_SIMPLE: dict[type[DomainError], type[Error]] = {
    domain.NotSealed: NotSealed,
    domain.AlreadySubmitted: AlreadySubmitted,
    domain.NoOfficeAvailable: NoOfficeAvailable,
    domain.OfficeNotAccepting: OfficeNotAccepting,
    domain.AlreadyDecided: AlreadyDecided,
    domain.FileAltered: FileAltered,
    domain.NotConvertible: NotConvertible,
    domain.QuoteExpired: QuoteExpired,
}


def to_error(exc: DomainError, locale: str) -> Error:
    """The typed GraphQL error for a domain error, in the viewer's language."""
    message = exc.message(locale)
    if isinstance(exc, ledger_errors.InsufficientCredits):
        return InsufficientCredits(
            message=message, needed=exc.params["needed"], balance=exc.params["balance"]
        )
    if isinstance(exc, domain.ClaimedByAnother):
        return ClaimedByAnother(message=message, claimed_by=exc.params.get("name", ""))
    if isinstance(exc, domain.InvalidState):
        return InvalidState(message=message, status=exc.params.get("status", ""))
    if isinstance(exc, domain.LegalIdentityIncomplete):
        missing = [f for f in exc.params.get("fields", "").split(", ") if f]
        return LegalIdentityIncomplete(message=message, missing_fields=missing)
    if isinstance(exc, tenant_errors.InvalidSiren):
        return tenancy_errors.InvalidSiren(message=message)
    if isinstance(exc, evidence_errors.DepositNotFound) or exc.code == "NOT_FOUND":
        return NotFound(message=message)
    for domain_type, graphql_type in _SIMPLE.items():
        if isinstance(exc, domain_type):
            return graphql_type(message=message)
    return InvalidInput(message=message, field=exc.params.get("field", ""))
