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


@strawberry.type(description="A batch of `stageUploads` holds no item or more than `limit`.")
class BatchSizeRefused(Error):
    limit: int


@strawberry.type(
    description="One item of a `stageUploads` batch was refused, so none was staged: `index` "
    "(from 0) is the item in `items`, `reason` the code of the refusal (WRONG_MEDIA_KIND, "
    "ITEM_LIMIT_REACHED, LOCATION_REQUIRED, INVALID_INPUT) and `field` the argument at fault "
    "for INVALID_INPUT; `message` says it for a person."
)
class BatchItemRefused(Error):
    index: int
    reason: str
    field: str | None


def _batch_size(exc: DomainError, locale: str) -> Error:
    return BatchSizeRefused(message=exc.message(locale), limit=exc.params["limit"])


def _batch_item(exc: DomainError, locale: str) -> Error:
    cause = getattr(exc, "cause", None)
    field = cause.params.get("field") if isinstance(cause, DomainError) else None
    return BatchItemRefused(
        message=exc.message(locale),
        index=exc.params["index"],
        reason=exc.params["reason"],
        field=field,
    )


register("BATCH_SIZE_REFUSED", _batch_size)
register("BATCH_ITEM_REFUSED", _batch_item)
