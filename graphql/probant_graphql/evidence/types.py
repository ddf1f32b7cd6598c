"""Deposit, item and capture types (the typed errors of the capture flow are in `errors.py`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.evidence.loaders import items_loader, visible_deposits, visible_items
from probant_graphql.integrity import types as integrity
from probant_platform.evidence import models, queries
from probant_platform.evidence.credentials import SUPPORTED as CREDENTIAL_MEDIA
from probant_platform.storage.signing import signed_media_path

if TYPE_CHECKING:
    from probant_graphql.bailiffs.types import Submission

CaptureKind = strawberry.enum(models.CaptureKind, name="CaptureKind")
DepositStatus = strawberry.enum(models.DepositStatus, name="DepositStatus")


# A row of `queries.DEPOSIT_COLUMNS` or `queries.ITEM_COLUMNS`: pages select these (no ORM
# objects, no signature image), which `from_model` reads like the models themselves.
AnyRow = queries.AnyRow


@strawberry.type
class Location:
    latitude: float
    longitude: float
    accuracy_meters: float
    fixed_at: datetime | None


@strawberry.type(name="EvidenceItem")
class EvidenceItem(relay.Node):
    item_id: relay.NodeID[str]
    sha256: str | None
    size: int | None
    media_type: str | None
    width: int | None
    height: int | None
    duration_seconds: float | None
    captured_at: datetime
    received_at: datetime | None
    clock_skew_flagged: bool
    location: Location | None
    no_location_reason: str | None
    comment: str
    organisation_id: strawberry.Private[uuid.UUID]
    has_media: strawberry.Private[bool]
    has_thumbnail: strawberry.Private[bool]

    def _link(self, info: Info[Context, Any], variant: str) -> str:
        path = signed_media_path(
            secret=info.context.settings.derived_secret("media-urls"),
            organisation_id=self.organisation_id,
            item_id=uuid.UUID(self.item_id),
            variant=variant,
        )
        return f"{info.context.settings.base_url.rstrip('/')}{path}"

    @strawberry.field(description="A link to the original, valid 5 minutes (null once deleted).")
    def download_url(self, info: Info[Context, Any]) -> str | None:
        return self._link(info, "original") if self.has_media else None

    @strawberry.field(
        description=(
            "A link to a copy of the sealed original carrying signed C2PA Content Credentials "
            "(capture facts, the original's SHA-256, the chain anchor once known), made on "
            "request and valid 5 minutes; null for media C2PA cannot carry or once deleted. "
            "The original stays the evidence."
        )
    )
    def credentials_url(self, info: Info[Context, Any]) -> str | None:
        if not self.has_media or self.media_type not in CREDENTIAL_MEDIA:
            return None
        return self._link(info, "credentials")

    @strawberry.field(description="A link to a small JPEG preview (null until it is made).")
    def thumbnail_url(self, info: Info[Context, Any]) -> str | None:
        return self._link(info, "thumbnail") if self.has_media and self.has_thumbnail else None

    @classmethod
    def from_model(cls, item: models.EvidenceItem | AnyRow) -> EvidenceItem:
        """From the model or a row of `ITEM_COLUMNS`."""
        location = (
            Location(
                latitude=item.latitude,
                longitude=item.longitude,
                accuracy_meters=item.accuracy_meters or 0,
                fixed_at=item.location_fixed_at,
            )
            if item.latitude is not None and item.longitude is not None
            else None
        )
        return cls(
            item_id=str(item.id),
            sha256=item.sha256,
            size=item.size,
            media_type=item.media_type,
            width=item.width,
            height=item.height,
            duration_seconds=item.duration_seconds,
            captured_at=item.captured_at,
            received_at=item.received_at,
            clock_skew_flagged=item.clock_skew_flagged,
            location=location,
            no_location_reason=item.no_location_reason,
            comment=item.comment,
            organisation_id=item.organisation_id,
            has_media=item.blob_key is not None,
            has_thumbnail=item.thumbnail_key is not None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[EvidenceItem | None]:
        ids = [i for i in (decode_id(n, "EvidenceItem") for n in node_ids) if i]
        visible = await visible_items(info, ids)
        return [
            cls.from_model(visible[u]) if (u := decode_id(n, "EvidenceItem")) in visible else None
            for n in node_ids
        ]


@strawberry.type
class Address:
    street: str
    postcode: str
    city: str
    floor: str
    flat: str
    building: str
    details: str


@strawberry.type(name="Deposit")
class Deposit(relay.Node):
    deposit_id: relay.NodeID[str]
    reference: str
    kind: CaptureKind  # type: ignore[valid-type]
    status: DepositStatus  # type: ignore[valid-type]
    title: str
    address: Address
    description: str
    created_at: datetime
    sealed_at: datetime | None
    signed_by: str | None
    credits_spent: int

    @strawberry.field(
        description="A link to the signed certified report (PDF), valid 5 minutes. The report "
        "is issued in the deposit's language; `language` asks for the other one (admins only: "
        "a new signed rendering of the same facts)."
    )
    async def certificate_url(
        self, info: Info[Context, Any], language: integrity.DocumentLanguage | None = None
    ) -> str | None:
        return await integrity.certificate_link(info, self.deposit_id, language)

    @strawberry.field(
        description="Until when the certified report's newest timestamp stays checkable: the "
        "daily renewal (PAdES B-LTA) adds a document timestamp before then. Null until the "
        "renewal job first saw the report, or for a report without a timestamp."
    )
    async def certificate_valid_until(self, info: Info[Context, Any]) -> datetime | None:
        return await integrity.certificate_valid_until(info, self.deposit_id)

    @strawberry.field(description="A link to a zip of the media, proof bundle and report.")
    async def export_url(self, info: Info[Context, Any]) -> str | None:
        return await integrity.export_link(info, self.deposit_id)

    @strawberry.field(description="Batch and chain anchor of the sealed items.")
    async def integrity(self, info: Info[Context, Any]) -> integrity.DepositIntegrity | None:
        return await integrity.integrity_of(info, self.deposit_id)

    @strawberry.field(
        description="The proof bundle (JSON, format probant-proof-bundle v1; docs/verification.md)."
    )
    async def proof_bundle(self, info: Info[Context, Any]) -> JSON | None:
        return await integrity.bundle_of(info, self.deposit_id)

    @classmethod
    def from_model(cls, deposit: models.Deposit | AnyRow) -> Deposit:
        """From the model or a row of `DEPOSIT_COLUMNS`."""
        return cls(
            deposit_id=str(deposit.id),
            reference=deposit.reference,
            kind=deposit.kind,
            status=deposit.status,
            title=deposit.title,
            address=Address(
                street=deposit.street,
                postcode=deposit.postcode,
                city=deposit.city,
                floor=deposit.floor,
                flat=deposit.flat,
                building=deposit.building,
                details=deposit.address_details,
            ),
            description=deposit.description,
            created_at=deposit.created_at,
            sealed_at=deposit.sealed_at,
            signed_by=deposit.signature_name,
            credits_spent=deposit.credits_spent,
        )

    @strawberry.field(description="Stored items, in capture order.")
    def items(self, info: Info[Context, Any]) -> list[EvidenceItem]:
        # A plain function returning the loader's future (graphql-core awaits it): no
        # coroutine per deposit on a page; the items of the whole page are one query.
        loader = items_loader(info, EvidenceItem.from_model)
        return loader.load(uuid.UUID(self.deposit_id))  # type: ignore[return-value]

    @strawberry.field(description="Where the deposit stands with its bailiff office, once sent.")
    async def submission(
        self, info: Info[Context, Any]
    ) -> Annotated[Submission, strawberry.lazy("probant_graphql.bailiffs.types")] | None:
        from probant_graphql.bailiffs.types import submission_for_deposit

        return await submission_for_deposit(info, uuid.UUID(self.deposit_id))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[Deposit | None]:
        visible = await visible_deposits(
            info, [i for i in (decode_id(n, "Deposit") for n in node_ids) if i]
        )
        return [
            cls.from_model(visible[u]) if (u := decode_id(n, "Deposit")) in visible else None
            for n in node_ids
        ]


@strawberry.type
class CaptureSession:
    id: strawberry.ID
    nonce: str
    kind: CaptureKind  # type: ignore[valid-type]
    expires_at: datetime
    max_items: int
    max_video_seconds: int
    max_photo_bytes: int
    max_video_bytes: int
    location_required: bool
    deposit: Deposit


@strawberry.type
class CaptureSessionPayload:
    capture_session: CaptureSession


@strawberry.type
class StagedUpload:
    item_id: strawberry.ID
    upload_url: str
    expires_at: datetime


@strawberry.type
class StagedUploads:
    uploads: list[StagedUpload] = strawberry.field(
        description="One per item, in the order of `items`."
    )


@strawberry.type
class DepositPayload:
    deposit: Deposit


@strawberry.type
class DeletedPayload:
    ok: bool
