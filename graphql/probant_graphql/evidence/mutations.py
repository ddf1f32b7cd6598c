"""Capture, deposit and sealing mutations (the contract in docs/capture-api.md): each
translates its arguments and hands the service call to `run_mutation`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.actors import acts_for_organisation
from probant_graphql.core.errors import AuthErrors, CommonErrors
from probant_graphql.core.ids import require_id
from probant_graphql.core.mutations import run_mutation
from probant_graphql.evidence import errors as x
from probant_graphql.evidence import types as t
from probant_graphql.ledger.types import InsufficientCredits
from probant_platform.evidence import capture, deposits, messages, queries
from probant_platform.evidence import errors as e
from probant_platform.evidence.models import CaptureKind, CaptureSession
from probant_tenants import profile
from probant_tenants.authz import Permission
from probant_tenants.context import Actor


async def author_of(info: Info[Context, Any], actor: Actor) -> deposits.Author:
    """The actor as the author of deposits: acting for the organisation, or for themselves."""
    return deposits.Author(
        actor.organisation_id, actor.membership_id, await acts_for_organisation(info, actor)
    )


StartCaptureResult = Annotated[
    t.CaptureSessionPayload | x.EmailNotVerified | CommonErrors,
    strawberry.union("StartCaptureResult"),
]
StageUploadResult = Annotated[
    t.StagedUpload
    | x.CaptureSessionExpired
    | x.ItemLimitReached
    | x.WrongMediaKind
    | x.LocationRequired
    | CommonErrors,
    strawberry.union("StageUploadResult"),
]
StageUploadsResult = Annotated[
    t.StagedUploads
    | x.CaptureSessionExpired
    | x.BatchSizeRefused
    | x.BatchItemRefused
    | CommonErrors,
    strawberry.union("StageUploadsResult"),
]
DepositResult = Annotated[
    t.DepositPayload | x.AlreadySealed | CommonErrors, strawberry.union("DepositResult")
]
DeleteItemResult = Annotated[
    t.DeletedPayload | x.AlreadySealed | CommonErrors, strawberry.union("DeleteItemResult")
]
SealResult = Annotated[
    t.DepositPayload
    | InsufficientCredits
    | x.QuoteChanged
    | x.AlreadySealed
    | x.NothingToSeal
    | x.SignatureRequired
    | CommonErrors,
    strawberry.union("SealDepositResult"),
]


@strawberry.input
class LocationInput:
    latitude: float
    longitude: float
    accuracy_meters: float
    fixed_at: datetime | None = None


@strawberry.input
class StageUploadInput:
    capture_session_id: strawberry.ID
    sha256: str
    size: int
    content_type: str
    captured_at: datetime
    location: LocationInput | None = None
    no_location_reason: str | None = None


@strawberry.input(description="One item of a `stageUploads` batch (as `StageUploadInput`).")
class StageUploadItemInput:
    sha256: str
    size: int
    content_type: str
    captured_at: datetime
    location: LocationInput | None = None
    no_location_reason: str | None = None


@strawberry.input
class StageUploadsInput:
    capture_session_id: strawberry.ID
    items: list[StageUploadItemInput] = strawberry.field(
        description=f"1 to {capture.MAX_BATCH} items, staged in this order."
    )


def _location(location: LocationInput | None) -> capture.Location | None:
    if location is None:
        return None
    return capture.Location(
        location.latitude, location.longitude, location.accuracy_meters, location.fixed_at
    )


def _request(item: StageUploadInput | StageUploadItemInput) -> capture.UploadRequest:
    return capture.UploadRequest(
        sha256=item.sha256,
        size=item.size,
        content_type=item.content_type,
        captured_at=item.captured_at,
        location=_location(item.location),
        no_location_reason=item.no_location_reason,
    )


async def _live(
    info: Info[Context, Any], actor: Actor, session_id: strawberry.ID
) -> CaptureSession:
    return await capture.live_session(
        session=info.context.session,
        capture_session_id=require_id(session_id, "CaptureSession", e.CaptureSessionExpired),
        membership_id=actor.membership_id,
    )


def _staged(
    info: Info[Context, Any], live: CaptureSession, staged: capture.StagedItem
) -> t.StagedUpload:
    base = info.context.settings.base_url.rstrip("/")
    return t.StagedUpload(
        item_id=strawberry.ID(relay.to_base64("EvidenceItem", str(staged.item.id))),
        upload_url=f"{base}/uploads/{staged.item.id}?token={staged.upload_token}",
        expires_at=min(live.expires_at, staged.item.created_at + capture.STAGED_LIFETIME),
    )


@strawberry.input
class AddressInput:
    street: str = ""
    postcode: str = ""
    city: str = ""
    floor: str = ""
    flat: str = ""
    building: str = ""
    details: str = ""


@strawberry.input
class ItemCommentInput:
    item_id: strawberry.ID
    comment: str


@strawberry.input
class UpdateDepositInput:
    deposit_id: strawberry.ID
    title: str | None = None
    address: AddressInput | None = None
    description: str | None = None
    item_comments: list[ItemCommentInput] | None = None


@strawberry.input
class SignatureInput:
    full_name: str
    image_png_base64: str | None = None


@strawberry.input
class SealDepositInput:
    deposit_id: strawberry.ID
    signature: SignatureInput
    confirm_credits: int


@strawberry.type
class CaptureSettingsPayload:
    location_required: bool


CaptureSettingsResult = Annotated[
    CaptureSettingsPayload | AuthErrors,
    strawberry.union("CaptureSettingsResult"),
]


@strawberry.type
class DepositDeleted:
    tombstone: bool = strawberry.field(
        description="True when a sealed deposit was reduced to a tombstone: its media and "
        "personal data are gone, its reference, hashes and times remain so that certificates "
        "already issued stay checkable."
    )
    message: str


DeleteDepositResult = Annotated[
    DepositDeleted | CommonErrors, strawberry.union("DeleteDepositResult")
]


@strawberry.type
class EvidenceMutation:
    @strawberry.mutation(description="Delete a deposit (a sealed one leaves a tombstone).")
    async def delete_deposit(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> DeleteDepositResult:
        async def run(actor: Actor) -> DepositDeleted:
            tombstone = await deposits.delete_deposit(
                session=info.context.session,
                author=await author_of(info, actor),
                deposit_id=require_id(deposit_id, "Deposit", e.DepositNotFound),
            )
            return DepositDeleted(
                tombstone=tombstone,
                message=messages.deposit_deleted(tombstone=tombstone, locale=actor.locale),
            )

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(
        description="OWNER/ADMIN: block captures without a location (true) or flag them (false)."
    )
    async def update_capture_settings(
        self, info: Info[Context, Any], location_required: bool
    ) -> CaptureSettingsResult:
        async def run(actor: Actor) -> CaptureSettingsPayload:
            organisation = await profile.update_capture_settings(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                location_required=location_required,
            )
            return CaptureSettingsPayload(location_required=organisation.capture_location_required)

        return await run_mutation(info, Permission.ORGANISATION_UPDATE, run)

    @strawberry.mutation(
        description=(
            "Open a live capture session. Its `deposit` (id and reference) is announced now "
            "and created with the first staged item: until then `node(id:)` finds nothing."
        )
    )
    async def start_capture(
        self,
        info: Info[Context, Any],
        kind: t.CaptureKind,  # type: ignore[valid-type]
    ) -> StartCaptureResult:
        async def run(actor: Actor) -> t.CaptureSessionPayload:
            session = await capture.start_capture(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=actor.membership_id,
                user_id=actor.user_id,
                email_verified=actor.email_verified,
                kind=CaptureKind(kind),
                location_required=await queries.location_required(
                    session=info.context.session, organisation_id=actor.organisation_id
                ),
            )
            # Announced, not created: the draft comes with the first staged item.
            deposit = capture.planned_deposit(session, actor.user_id)
            return t.CaptureSessionPayload(
                capture_session=t.CaptureSession(
                    id=strawberry.ID(str(session.id)),
                    nonce=session.nonce,
                    kind=session.kind,
                    expires_at=session.expires_at,
                    max_items=session.max_items,
                    max_video_seconds=session.max_video_seconds,
                    max_photo_bytes=session.max_photo_bytes,
                    max_video_bytes=session.max_video_bytes,
                    location_required=session.location_required,
                    deposit=t.Deposit.from_model(deposit),
                )
            )

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(
        description="Reserve an item in a live session; PUT its bytes to `uploadUrl`."
    )
    async def stage_upload(
        self, info: Info[Context, Any], input: StageUploadInput
    ) -> StageUploadResult:
        async def run(actor: Actor) -> t.StagedUpload:
            live = await _live(info, actor, input.capture_session_id)
            request = _request(input)
            staged = await capture.stage_upload(
                session=info.context.session,
                capture=live,
                sha256=request.sha256,
                size=request.size,
                content_type=request.content_type,
                captured_at=request.captured_at,
                location=request.location,
                no_location_reason=request.no_location_reason,
                user_agent=info.context.request.headers.get("user-agent"),
                author_user_id=actor.user_id,
            )
            return _staged(info, live, staged)

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(
        description=(
            "Reserve several items of one live session at once (all or none: one refused "
            "item stages nothing and `BatchItemRefused` names its index); PUT each item's "
            "bytes to its `uploadUrl`, in the order of `items`."
        )
    )
    async def stage_uploads(
        self, info: Info[Context, Any], input: StageUploadsInput
    ) -> StageUploadsResult:
        async def run(actor: Actor) -> t.StagedUploads:
            live = await _live(info, actor, input.capture_session_id)
            staged = await capture.stage_uploads(
                session=info.context.session,
                capture=live,
                requests=[_request(item) for item in input.items],
                user_agent=info.context.request.headers.get("user-agent"),
                author_user_id=actor.user_id,
            )
            return t.StagedUploads(uploads=[_staged(info, live, one) for one in staged])

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(description="Fill a draft deposit: title, address, description, comments.")
    async def update_deposit(
        self, info: Info[Context, Any], input: UpdateDepositInput
    ) -> DepositResult:
        async def run(actor: Actor) -> t.DepositPayload:
            address = deposits.AddressInput(**vars(input.address)) if input.address else None
            comments = {
                require_id(c.item_id, "EvidenceItem", e.DepositNotFound): c.comment
                for c in input.item_comments or []
            }
            deposit_id = require_id(input.deposit_id, "Deposit", e.DepositNotFound)
            await capture.create_announced_draft(
                session=info.context.session,
                deposit_id=deposit_id,
                membership_id=actor.membership_id,
                author_user_id=actor.user_id,
            )
            deposit = await deposits.update_deposit(
                session=info.context.session,
                author=await author_of(info, actor),
                deposit_id=deposit_id,
                title=input.title,
                address=address,
                description=input.description,
                item_comments=comments,
            )
            return t.DepositPayload(deposit=t.Deposit.from_model(deposit))

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(description="Remove an item from a draft deposit.")
    async def delete_item(
        self, info: Info[Context, Any], item_id: strawberry.ID
    ) -> DeleteItemResult:
        async def run(actor: Actor) -> t.DeletedPayload:
            await deposits.delete_item(
                session=info.context.session,
                author=await author_of(info, actor),
                item_id=require_id(item_id, "EvidenceItem", e.DepositNotFound),
            )
            return t.DeletedPayload(ok=True)

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)

    @strawberry.mutation(
        description="Sign, confirm the quoted price and seal: nothing can change afterwards."
    )
    async def seal_deposit(self, info: Info[Context, Any], input: SealDepositInput) -> SealResult:
        async def run(actor: Actor) -> t.DepositPayload:
            deposit = await deposits.seal_deposit(
                session=info.context.session,
                author=await author_of(info, actor),
                deposit_id=require_id(input.deposit_id, "Deposit", e.DepositNotFound),
                signature_name=input.signature.full_name,
                signature_png_base64=input.signature.image_png_base64,
                confirm_credits=input.confirm_credits,
                locale=actor.locale,
            )
            return t.DepositPayload(deposit=t.Deposit.from_model(deposit))

        return await run_mutation(info, Permission.DEPOSITS_CREATE, run)
