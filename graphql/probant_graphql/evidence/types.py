"""Deposit, item and capture types, and the typed errors of the capture flow."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row, select
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error
from probant_graphql.integrity import types as integrity
from probant_graphql.permissions import current_actor, may, operation_allowed
from probant_platform.evidence import models
from probant_platform.evidence.credentials import SUPPORTED as CREDENTIAL_MEDIA
from probant_platform.storage.signing import signed_media_path
from probant_tenants.authz import Permission

if TYPE_CHECKING:
    from probant_graphql.bailiffs.types import Submission

CaptureKind = strawberry.enum(models.CaptureKind, name="CaptureKind")
DepositStatus = strawberry.enum(models.DepositStatus, name="DepositStatus")


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def visible_deposit_ids(
    info: Info[Context, Any], ids: list[uuid.UUID]
) -> dict[uuid.UUID, models.Deposit]:
    """The deposits among `ids` the viewer may see: the organisation's for admins, else own."""
    actor = await current_actor(info)
    if actor is None or not operation_allowed(info, actor) or not ids:
        return {}
    query = select(models.Deposit).where(
        models.Deposit.id.in_(ids), models.Deposit.organisation_id == actor.organisation_id
    )
    if not await may(info, actor, Permission.DEPOSITS_READ_ALL):
        query = query.where(models.Deposit.author_membership_id == actor.membership_id)
    return {d.id: d for d in (await info.context.session.execute(query)).scalars()}


AnyRow = Row[*tuple[Any, ...]]

# The columns the GraphQL types read: pages select these as plain rows (no ORM objects, no
# identity map, no signature image), which `from_model` reads like the models themselves.
DEPOSIT_COLUMNS = (
    models.Deposit.id,
    models.Deposit.reference,
    models.Deposit.kind,
    models.Deposit.status,
    models.Deposit.title,
    models.Deposit.street,
    models.Deposit.postcode,
    models.Deposit.city,
    models.Deposit.floor,
    models.Deposit.flat,
    models.Deposit.building,
    models.Deposit.address_details,
    models.Deposit.description,
    models.Deposit.created_at,
    models.Deposit.sealed_at,
    models.Deposit.signature_name,
    models.Deposit.credits_spent,
)
ITEM_COLUMNS = (
    models.EvidenceItem.id,
    models.EvidenceItem.deposit_id,
    models.EvidenceItem.organisation_id,
    models.EvidenceItem.sha256,
    models.EvidenceItem.size,
    models.EvidenceItem.media_type,
    models.EvidenceItem.width,
    models.EvidenceItem.height,
    models.EvidenceItem.duration_seconds,
    models.EvidenceItem.captured_at,
    models.EvidenceItem.received_at,
    models.EvidenceItem.clock_skew_flagged,
    models.EvidenceItem.latitude,
    models.EvidenceItem.longitude,
    models.EvidenceItem.accuracy_meters,
    models.EvidenceItem.location_fixed_at,
    models.EvidenceItem.no_location_reason,
    models.EvidenceItem.comment,
    models.EvidenceItem.blob_key,
    models.EvidenceItem.thumbnail_key,
)


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
        if await current_actor(info) is None:  # also pins the session to the viewer's tenant
            return [None for _ in node_ids]
        ids = [i for i in map(_uuid, node_ids) if i]
        rows = (
            (
                await info.context.session.execute(
                    select(models.EvidenceItem).where(models.EvidenceItem.id.in_(ids))
                )
            )
            .scalars()
            .all()
        )
        visible = await visible_deposit_ids(info, list({r.deposit_id for r in rows}))
        found = {str(r.id): cls.from_model(r) for r in rows if r.deposit_id in visible}
        return [found.get(n) for n in node_ids]


async def _items_of(
    info: Info[Context, Any], deposit_ids: list[uuid.UUID]
) -> list[list[EvidenceItem]]:
    """One query for the items of every deposit on the page (no query per deposit)."""
    rows = await info.context.session.execute(
        select(*ITEM_COLUMNS)
        .where(
            models.EvidenceItem.deposit_id.in_(deposit_ids),
            models.EvidenceItem.status == models.ItemStatus.STORED,
        )
        .order_by(models.EvidenceItem.captured_at, models.EvidenceItem.id)
    )
    grouped: dict[uuid.UUID, list[EvidenceItem]] = {key: [] for key in deposit_ids}
    for item in rows:
        grouped[item.deposit_id].append(EvidenceItem.from_model(item))
    return [grouped[key] for key in deposit_ids]


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
        loader = info.context.cache.get("deposit_items")
        if loader is None:
            loader = DataLoader(load_fn=lambda keys: _items_of(info, keys))
            info.context.cache["deposit_items"] = loader
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
        visible = await visible_deposit_ids(info, [i for i in map(_uuid, node_ids) if i])
        return [
            cls.from_model(visible[u]) if (u := _uuid(n)) in visible else None for n in node_ids
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
class DepositPayload:
    deposit: Deposit


@strawberry.type
class DeletedPayload:
    ok: bool


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
