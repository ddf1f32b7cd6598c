"""Typed errors of the bailiff-office mutations, registered for their domain error codes
(`probant_platform.bailiffs.errors`, the catalogue of their messages)."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, PaymentUnavailable, register
from probant_platform.errors import DomainError


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


def _claimed_by_another(exc: DomainError, locale: str) -> Error:
    return ClaimedByAnother(message=exc.message(locale), claimed_by=exc.params.get("name", ""))


def _invalid_state(exc: DomainError, locale: str) -> Error:
    return InvalidState(message=exc.message(locale), status=exc.params.get("status", ""))


def _legal_identity_incomplete(exc: DomainError, locale: str) -> Error:
    missing = [f for f in exc.params.get("fields", "").split(", ") if f]
    return LegalIdentityIncomplete(message=exc.message(locale), missing_fields=missing)


register("NOT_SEALED", NotSealed)
register("ALREADY_SUBMITTED", AlreadySubmitted)
register("NO_OFFICE_AVAILABLE", NoOfficeAvailable)
register("OFFICE_NOT_ACCEPTING", OfficeNotAccepting)
register("ALREADY_DECIDED", AlreadyDecided)
register("CLAIMED_BY_ANOTHER", _claimed_by_another)
register("FILE_ALTERED", FileAltered)
register("INVALID_STATE", _invalid_state)
register("NOT_CONVERTIBLE", NotConvertible)
register("LEGAL_IDENTITY_INCOMPLETE", _legal_identity_incomplete)
register("QUOTE_EXPIRED", QuoteExpired)
register("PAYMENT_UNAVAILABLE", PaymentUnavailable)
