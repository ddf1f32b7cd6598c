"""The bailiff folder's node types, shared by its features: offices, office documents,
submissions, constat orders and on-site requests (each feature's inputs, payloads and result
unions are in its own `types.py`).

Related objects load through the request's DataLoaders (`loaders.py`), so a page of the
clerk's queue costs the same number of queries whatever its length.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs import loaders
from probant_graphql.context import Context
from probant_graphql.evidence import types as evidence_types
from probant_graphql.permissions import current_actor
from probant_platform.bailiffs import models, queries
from probant_platform.bailiffs.directory import OfficeHit
from probant_platform.bailiffs.links import document_url
from probant_platform.bailiffs.words import euros
from probant_platform.evidence.models import Deposit as DepositModel

SubmissionStatus = strawberry.enum(models.SubmissionStatus, name="SubmissionStatus")
RejectionReason = strawberry.enum(models.RejectionReason, name="RejectionReason")
ConstatStatus = strawberry.enum(models.ConstatStatus, name="ConstatStatus")
OnSiteStatus = strawberry.enum(models.OnSiteStatus, name="OnSiteStatus")
DocumentKind = strawberry.enum(models.DocumentKind, name="OfficeDocumentKind")


@strawberry.type(name="BailiffOffice", description="A bailiff office (étude) of the directory.")
class BailiffOffice(relay.Node):
    office_id: relay.NodeID[str]
    name: str
    street: str
    postcode: str
    city: str
    siren: str | None
    latitude: float
    longitude: float
    service_radius_km: int
    accepts_deposits: bool
    constat_price_ttc_cents: int = strawberry.field(
        description="The office's price for a PV de constat de dépôt (TTC, in cents)."
    )
    constat_price: str = strawberry.field(description="The same, formatted in French.")
    distance_km: float | None = strawberry.field(
        description="Distance from the `near` point of the search, in km."
    )
    serves_location: bool | None = strawberry.field(
        description="Whether the `near` point lies within the office's service area."
    )

    @classmethod
    def from_hit(cls, hit: OfficeHit, default_price_cents: int) -> BailiffOffice:
        org, entry = hit.organisation, hit.entry
        price = entry.constat_price_ttc_cents
        price = default_price_cents if price is None else price
        return cls(
            office_id=str(org.id),
            name=org.name,
            street=org.street or "",
            postcode=org.postcode or "",
            city=org.city or "",
            siren=org.siren,
            latitude=entry.latitude,
            longitude=entry.longitude,
            service_radius_km=entry.service_radius_km,
            accepts_deposits=entry.accepts_deposits,
            constat_price_ttc_cents=price,
            constat_price=euros(price),
            distance_km=round(hit.distance_km, 3) if hit.distance_km is not None else None,
            serves_location=hit.serves_location,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[BailiffOffice | None]:
        if await current_actor(info) is None:
            return [None for _ in node_ids]
        ids = loaders.decode_ids(node_ids, "BailiffOffice")
        hits = await loaders.office_hits(info, [i for i in ids if i is not None])
        price = info.context.settings.constat_price_cents
        return [cls.from_hit(hits[i], price) if i in hits else None for i in ids]


def office_node(info: Info[Context, Any], hit: OfficeHit) -> BailiffOffice:
    """An office of the directory at its price (the platform default when it sets none)."""
    return BailiffOffice.from_hit(hit, info.context.settings.constat_price_cents)


async def _office_field(info: Info[Context, Any], office_id: uuid.UUID) -> BailiffOffice | None:
    hit = await loaders.office_hit(info, office_id)
    return office_node(info, hit) if hit is not None else None


@strawberry.type(name="OfficeDocument", description="A PDF signed by an office.")
class OfficeDocument:
    kind: DocumentKind  # type: ignore[valid-type]
    filename: str
    sha256: str
    size: int
    signer_certificate_fingerprint: str
    created_at: datetime
    organisation_id: strawberry.Private[uuid.UUID]
    document_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="A download link, valid 10 minutes.")
    def download_url(self, info: Info[Context, Any]) -> str:
        return document_url(
            info.context.settings,
            organisation_id=self.organisation_id,
            document_id=self.document_id,
        )

    @classmethod
    def from_model(cls, row: models.OfficeDocument) -> OfficeDocument:
        return cls(
            kind=row.kind,
            filename=row.filename,
            sha256=row.sha256,
            size=row.size,
            signer_certificate_fingerprint=row.signer_fingerprint,
            created_at=row.created_at,
            organisation_id=row.organisation_id,
            document_id=row.id,
        )


async def _document_field(
    info: Info[Context, Any], kind: models.DocumentKind, subject_id: uuid.UUID
) -> OfficeDocument | None:
    row = await loaders.office_document(info, kind, subject_id)
    return OfficeDocument.from_model(row) if row is not None else None


async def _deposit_field(
    info: Info[Context, Any], deposit_id: uuid.UUID
) -> evidence_types.Deposit | None:
    row = await loaders.deposit(info, deposit_id)
    return evidence_types.Deposit.from_model(row) if row is not None else None


@strawberry.type(name="Submission", description="A sealed deposit sent to an office for review.")
class Submission(relay.Node):
    submission_id: relay.NodeID[str]
    status: SubmissionStatus  # type: ignore[valid-type]
    requester_name: str
    author_name: str
    credits_spent: int
    submitted_at: datetime
    due_at: datetime
    overdue: bool = strawberry.field(description="Still open after its due time (24 h SLA).")
    claimed_by: str | None
    claimed_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None
    reason: RejectionReason | None  # type: ignore[valid-type]
    comment: str
    rejected_item_ids: list[strawberry.ID]
    refunded: bool
    deposit_uuid: strawberry.Private[uuid.UUID]
    office_uuid: strawberry.Private[uuid.UUID]
    preloaded_deposit: strawberry.Private[DepositModel | None]

    @classmethod
    def from_model(cls, row: models.Submission, deposit: DepositModel | None = None) -> Submission:
        return cls(
            submission_id=str(row.id),
            status=row.status,
            requester_name=row.requester_name,
            author_name=row.author_name,
            credits_spent=row.credits_spent,
            submitted_at=row.submitted_at,
            due_at=row.due_at,
            overdue=queries.overdue(row),
            claimed_by=row.claimed_by_name,
            claimed_at=row.claimed_at,
            decided_at=row.decided_at,
            decided_by=row.decided_by_name,
            reason=row.reason,
            comment=row.comment,
            rejected_item_ids=[
                strawberry.ID(relay.to_base64("EvidenceItem", i)) for i in row.rejected_item_ids
            ],
            refunded=row.refunded,
            deposit_uuid=row.deposit_id,
            office_uuid=row.office_id,
            preloaded_deposit=deposit,
        )

    @strawberry.field
    async def deposit(self, info: Info[Context, Any]) -> evidence_types.Deposit | None:
        if self.preloaded_deposit is not None:
            return evidence_types.Deposit.from_model(self.preloaded_deposit)
        return await _deposit_field(info, self.deposit_uuid)

    @strawberry.field
    async def office(self, info: Info[Context, Any]) -> BailiffOffice | None:
        return await _office_field(info, self.office_uuid)

    @strawberry.field(description="The signed attestation de dépôt, once issued.")
    async def attestation(self, info: Info[Context, Any]) -> OfficeDocument | None:
        return await _document_field(
            info, models.DocumentKind.ATTESTATION, uuid.UUID(self.submission_id)
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[Submission | None]:
        return await loaders.visible_nodes(
            info, node_ids, "Submission", queries.visible_submissions, cls.from_model
        )


@strawberry.type(description="The requester as the PV de constat names it.")
class RequesterIdentity:
    legal_form: str
    company_name: str
    rcs_number: str = strawberry.field(deprecation_reason="Use `siren` (the same 9 digits).")
    rcs_city: str
    street: str
    postcode: str
    city: str
    representative_first_name: str
    representative_last_name: str

    @strawberry.field(
        description="The company's SIREN (9 digits), registered at the RCS of `rcsCity`; the "
        "same name as on the organisation's `legalIdentity`."
    )
    def siren(self) -> str:
        return self.rcs_number


@strawberry.type(name="ConstatOrder", description="A deposit's conversion into a PV de constat.")
class ConstatOrder(relay.Node):
    order_id: relay.NodeID[str]
    status: ConstatStatus  # type: ignore[valid-type]
    requester: RequesterIdentity
    expose: str
    corrected_expose: str | None
    price_ttc_cents: int
    price: str
    paid_at: datetime | None
    validated_at: datetime | None
    validated_by: str | None
    issued_at: datetime | None
    created_at: datetime
    deposit_uuid: strawberry.Private[uuid.UUID]
    office_uuid: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, row: models.ConstatOrder) -> ConstatOrder:
        return cls(
            order_id=str(row.id),
            status=row.status,
            requester=RequesterIdentity(
                legal_form=row.legal_form,
                company_name=row.company_name,
                rcs_number=row.rcs_number,
                rcs_city=row.rcs_city,
                street=row.street,
                postcode=row.postcode,
                city=row.city,
                representative_first_name=row.representative_first_name,
                representative_last_name=row.representative_last_name,
            ),
            expose=row.expose,
            corrected_expose=row.corrected_expose,
            price_ttc_cents=row.price_ttc_cents,
            price=euros(row.price_ttc_cents),
            paid_at=row.paid_at,
            validated_at=row.validated_at,
            validated_by=row.validated_by_name,
            issued_at=row.issued_at,
            created_at=row.created_at,
            deposit_uuid=row.deposit_id,
            office_uuid=row.office_id,
        )

    @strawberry.field
    async def deposit(self, info: Info[Context, Any]) -> evidence_types.Deposit | None:
        return await _deposit_field(info, self.deposit_uuid)

    @strawberry.field
    async def office(self, info: Info[Context, Any]) -> BailiffOffice | None:
        return await _office_field(info, self.office_uuid)

    @strawberry.field(description="The signed PV de constat, once issued.")
    async def document(self, info: Info[Context, Any]) -> OfficeDocument | None:
        return await _document_field(info, models.DocumentKind.CONSTAT, uuid.UUID(self.order_id))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[ConstatOrder | None]:
        return await loaders.visible_nodes(
            info, node_ids, "ConstatOrder", queries.visible_orders, cls.from_model
        )


@strawberry.type(name="OnSiteRequest", description="A request for an on-site constat.")
class OnSiteRequest(relay.Node):
    request_id: relay.NodeID[str]
    status: OnSiteStatus  # type: ignore[valid-type]
    requester_name: str
    contact_email: str
    street: str
    postcode: str
    city: str
    address_details: str
    description: str
    preferred_dates: list[str]
    quote_ttc_cents: int | None
    quote: str | None
    quote_valid_until: datetime | None
    appointment_at: datetime | None
    office_message: str
    created_at: datetime
    quoted_at: datetime | None
    answered_at: datetime | None
    office_uuid: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, row: models.OnSiteRequest) -> OnSiteRequest:
        return cls(
            request_id=str(row.id),
            status=row.status,
            requester_name=row.requester_name,
            contact_email=row.contact_email,
            street=row.street,
            postcode=row.postcode,
            city=row.city,
            address_details=row.address_details,
            description=row.description,
            preferred_dates=list(row.preferred_dates),
            quote_ttc_cents=row.quote_ttc_cents,
            quote=euros(row.quote_ttc_cents) if row.quote_ttc_cents is not None else None,
            quote_valid_until=row.quote_valid_until,
            appointment_at=row.appointment_at,
            office_message=row.office_message,
            created_at=row.created_at,
            quoted_at=row.quoted_at,
            answered_at=row.answered_at,
            office_uuid=row.office_id,
        )

    @strawberry.field
    async def office(self, info: Info[Context, Any]) -> BailiffOffice | None:
        return await _office_field(info, self.office_uuid)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[OnSiteRequest | None]:
        return await loaders.visible_nodes(
            info, node_ids, "OnSiteRequest", queries.visible_on_site_requests, cls.from_model
        )


async def submission_for_deposit(
    info: Info[Context, Any], deposit_id: uuid.UUID
) -> Submission | None:
    """The submission of a deposit the viewer already sees (one query per page)."""
    row = await loaders.submission_of_deposit(info, deposit_id)
    return Submission.from_model(row) if row is not None else None
