"""On-site constat requests: inputs, payloads and result unions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.types import OnSiteRequest
from probant_graphql.core.errors import CommonErrors


@strawberry.input
class SiteAddressInput:
    street: str
    postcode: str
    city: str
    details: str = ""


@strawberry.input
class OnSiteQuoteInput:
    request_id: strawberry.ID
    amount_ttc_cents: int
    valid_until: datetime
    appointment_at: datetime
    message: str = ""


@strawberry.type
class OnSiteRequestPayload:
    request: OnSiteRequest


RequestResult = Annotated[
    OnSiteRequestPayload | CommonErrors, strawberry.union("OnSiteRequestResult")
]
AnswerResult = Annotated[
    OnSiteRequestPayload | e.InvalidState | e.QuoteExpired | CommonErrors,
    strawberry.union("OnSiteAnswerResult"),
]
