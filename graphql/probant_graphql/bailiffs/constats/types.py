"""PV de constat de dépôt: the terms, the specimen, inputs, payloads and result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from probant_graphql.bailiffs import errors as e
from probant_graphql.bailiffs.types import BailiffOffice, ConstatOrder, RequesterIdentity
from probant_graphql.core.errors import CommonErrors, PaymentUnavailable
from probant_graphql.tenancy.errors import InvalidSiren
from probant_platform.bailiffs import constats


@strawberry.type(description="A PDF returned inline (base64).")
class PdfFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    base64: str


@strawberry.type(description="What converting a deposit into a PV de constat would involve.")
class ConstatTerms:
    office: BailiffOffice
    price_ttc_cents: int
    price: str
    requester: RequesterIdentity = strawberry.field(
        description="Pre-filled from the organisation (what was given last time)."
    )
    open_order: ConstatOrder | None


@strawberry.input
class RequesterIdentityInput:
    legal_form: str
    company_name: str
    rcs_city: str
    street: str
    postcode: str
    city: str
    representative_first_name: str
    representative_last_name: str
    siren: str | None = strawberry.field(
        default=None,
        description="The company's SIREN (9 digits), registered at the RCS of `rcsCity`; the "
        "same name as on the organisation's `legalIdentity`.",
    )
    rcs_number: str | None = strawberry.field(
        default=None, deprecation_reason="Use `siren` (the same 9 digits)."
    )

    def to_identity(self) -> constats.LegalIdentity:
        values = {k: v for k, v in vars(self).items() if k not in ("siren", "rcs_number")}
        return constats.LegalIdentity(**values, rcs_number=self.siren or self.rcs_number or "")


@strawberry.input
class OrderConstatInput:
    deposit_id: strawberry.ID
    requester: RequesterIdentityInput
    expose: str = strawberry.field(
        description="The exposé: why the requester needs the constat (the facts, the dispute)."
    )


@strawberry.type
class ConstatOrderPayload:
    order: ConstatOrder


@strawberry.type
class ConstatPaymentStarted:
    order: ConstatOrder
    checkout_url: str
    provider: str
    completed: bool


OrderResult = Annotated[
    ConstatOrderPayload
    | e.NotConvertible
    | e.LegalIdentityIncomplete
    | InvalidSiren
    | e.InvalidState
    | e.NoOfficeAvailable
    | e.OfficeNotAccepting
    | CommonErrors,
    strawberry.union("OrderConstatResult"),
]
PayResult = Annotated[
    ConstatPaymentStarted | PaymentUnavailable | e.InvalidState | CommonErrors,
    strawberry.union("PayConstatResult"),
]
OrderStateResult = Annotated[
    ConstatOrderPayload | e.InvalidState | CommonErrors, strawberry.union("ConstatOrderResult")
]
