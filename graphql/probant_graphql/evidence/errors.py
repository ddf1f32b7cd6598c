"""The typed errors of capture, deposits and sealing, registered for their domain codes
(`probant_platform.evidence.errors`; the messages are the domain's, in the actor's language)."""

from __future__ import annotations

import strawberry

from probant_graphql.core.errors import Error, register
from probant_platform.errors import DomainError


@strawberry.type
class EmailNotVerified(Error):
    pass


@strawberry.type
class CaptureSessionExpired(Error):
    pass


@strawberry.type
class ItemLimitReached(Error):
    limit: int


@strawberry.type
class WrongMediaKind(Error):
    pass


@strawberry.type
class AlreadySealed(Error):
    pass


@strawberry.type
class QuoteChanged(Error):
    credits: int


@strawberry.type
class NothingToSeal(Error):
    pass


@strawberry.type
class SignatureRequired(Error):
    pass


@strawberry.type
class LocationRequired(Error):
    pass


def _item_limit(exc: DomainError, locale: str) -> Error:
    return ItemLimitReached(message=exc.message(locale), limit=exc.params["limit"])


def _quote_changed(exc: DomainError, locale: str) -> Error:
    return QuoteChanged(message=exc.message(locale), credits=exc.params["credits"])


register("EMAIL_NOT_VERIFIED", EmailNotVerified)
register("CAPTURE_SESSION_EXPIRED", CaptureSessionExpired)
register("ITEM_LIMIT_REACHED", _item_limit)
register("WRONG_MEDIA_KIND", WrongMediaKind)
register("ALREADY_SEALED", AlreadySealed)
register("QUOTE_CHANGED", _quote_changed)
register("NOTHING_TO_SEAL", NothingToSeal)
register("SIGNATURE_REQUIRED", SignatureRequired)
register("LOCATION_REQUIRED", LocationRequired)
