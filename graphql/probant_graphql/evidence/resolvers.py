"""Capture, deposit and archive fields (the contract in docs/capture-api.md)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

import strawberry
from sqlalchemy import or_, select
from strawberry import relay
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.errors import Error, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from probant_graphql.core.ids import decode_id
from probant_graphql.core.mutations import authorise_mutation, in_savepoint
from probant_graphql.core.pagination import (
    connection,
    contains_pattern,
    encode_cursor,
    newest_first,
)
from probant_graphql.evidence import types as t
from probant_graphql.ledger.resolvers import to_error as ledger_error
from probant_graphql.ledger.types import DepositQuote, InsufficientCredits
from probant_graphql.permissions import may, require
from probant_platform.errors import DomainError
from probant_platform.evidence import capture, deposits
from probant_platform.evidence import errors as e
from probant_platform.evidence.models import CaptureKind, Deposit, DepositStatus
from probant_platform.ledger import errors as ledger_errors
from probant_platform.ledger import services as ledger
from probant_tenants.authz import Permission
from probant_tenants.context import Actor
from probant_tenants.models import Organisation

Common = NotAuthenticated | NotAllowed | NotFound | InvalidInput
StartCaptureResult = Annotated[
    t.CaptureSessionPayload | t.EmailNotVerified | Common, strawberry.union("StartCaptureResult")
]
StageUploadResult = Annotated[
    t.StagedUpload
    | t.CaptureSessionExpired
    | t.ItemLimitReached
    | t.WrongMediaKind
    | t.LocationRequired
    | Common,
    strawberry.union("StageUploadResult"),
]
DepositResult = Annotated[
    t.DepositPayload | t.AlreadySealed | Common, strawberry.union("DepositResult")
]
DeleteItemResult = Annotated[
    t.DeletedPayload | t.AlreadySealed | Common, strawberry.union("DeleteItemResult")
]
SealResult = Annotated[
    t.DepositPayload
    | InsufficientCredits
    | t.QuoteChanged
    | t.AlreadySealed
    | t.NothingToSeal
    | t.SignatureRequired
    | Common,
    strawberry.union("SealDepositResult"),
]

_SIMPLE: dict[type[DomainError], type[Error]] = {
    e.EmailNotVerified: t.EmailNotVerified,
    e.CaptureSessionExpired: t.CaptureSessionExpired,
    e.WrongMediaKind: t.WrongMediaKind,
    e.LocationRequired: t.LocationRequired,
    e.AlreadySealed: t.AlreadySealed,
    e.NothingToSeal: t.NothingToSeal,
    e.SignatureRequired: t.SignatureRequired,
    e.DepositNotFound: NotFound,
}


def to_error(exc: DomainError, locale: str) -> Error:
    message = exc.message(locale)
    if isinstance(exc, e.ItemLimitReached):
        return t.ItemLimitReached(message=message, limit=exc.params["limit"])
    if isinstance(exc, e.QuoteChanged):
        return t.QuoteChanged(message=message, credits=exc.params["credits"])
    if isinstance(exc, ledger_errors.InsufficientCredits):
        return ledger_error(exc, locale)
    if isinstance(exc, e.InvalidText):
        return InvalidInput(message=message, field=exc.params.get("field", ""))
    for domain_type, graphql_type in _SIMPLE.items():
        if isinstance(exc, domain_type):
            return graphql_type(message=message)
    return InvalidInput(message=message, field="")


def node_uuid(value: str, type_name: str) -> uuid.UUID:
    found = decode_id(value, type_name)
    if found is None:
        raise e.DepositNotFound()
    return found


def author_of(actor: Actor, can_read_all: bool) -> deposits.Author:
    return deposits.Author(actor.organisation_id, actor.membership_id, can_read_all)


async def _run(info: Info[Context, Any], permission: Permission, body: Any) -> Any:
    actor = await authorise_mutation(info, permission)
    if isinstance(actor, Error):
        return actor
    author = author_of(actor, await may(info, actor, Permission.DEPOSITS_READ_ALL))
    return await in_savepoint(
        info, lambda: body(actor, author), locale=actor.locale, errors=to_error
    )


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


@strawberry.input
class DepositFilter:
    status: t.DepositStatus | None = None  # type: ignore[valid-type]
    author: strawberry.ID | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
    search: str | None = None


@strawberry.type
class EvidenceQuery:
    @strawberry.field(
        description="The price of sealing this deposit now, and the viewer's balance."
    )
    async def deposit_quote(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> DepositQuote | None:
        actor = await require(info, Permission.DEPOSITS_CREATE)
        author = author_of(actor, await may(info, actor, Permission.DEPOSITS_READ_ALL))
        try:
            deposit = await deposits.get_deposit(
                session=info.context.session,
                author=author,
                deposit_id=node_uuid(deposit_id, "Deposit"),
            )
        except e.DepositNotFound:
            return None
        quote = await deposits.quote(session=info.context.session, deposit=deposit)
        wallet = None if actor.is_admin else actor.membership_id
        return DepositQuote(
            credits=quote.credits,
            rule=quote.rule,
            description=quote.description(actor.locale),
            balance=await ledger.balance(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=wallet,
            ),
        )

    @strawberry.field(
        description="The archive, newest first: the organisation's for OWNER/ADMIN, else your own."
    )
    async def deposits(
        self,
        info: Info[Context, Any],
        filter: DepositFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[t.Deposit]:
        actor = await require(info, Permission.DEPOSITS_READ_OWN)
        query = select(*t.DEPOSIT_COLUMNS).where(
            Deposit.organisation_id == actor.organisation_id,
            Deposit.status != DepositStatus.DELETED,
        )
        if not await may(info, actor, Permission.DEPOSITS_READ_ALL):
            query = query.where(Deposit.author_membership_id == actor.membership_id)
        query = _filtered(query, filter)
        rows = (
            await info.context.session.execute(
                newest_first(
                    query,
                    created=Deposit.created_at,
                    ident=Deposit.id,
                    after=after,
                    first=first,
                )
            )
        ).all()
        return connection(
            rows,
            first=first,
            after=after,
            cursor_of=lambda d: encode_cursor(d.created_at, d.id),
            to_node=t.Deposit.from_model,
        )


async def _location_required(info: Info[Context, Any], actor: Actor) -> bool:
    organisation = await info.context.session.get(Organisation, actor.organisation_id)
    return bool(organisation and organisation.capture_location_required)


def _filtered(query: Any, filter: DepositFilter | None) -> Any:
    if filter is None:
        return query
    if filter.status is not None:
        query = query.where(Deposit.status == filter.status)
    if filter.author is not None:
        query = query.where(Deposit.author_membership_id == node_uuid(filter.author, "Member"))
    if filter.from_ is not None:
        query = query.where(Deposit.created_at >= filter.from_)
    if filter.to is not None:
        query = query.where(Deposit.created_at < filter.to)
    if filter.search:
        pattern = contains_pattern(filter.search)
        query = query.where(
            or_(
                Deposit.title.ilike(pattern),
                Deposit.reference.ilike(pattern),
                Deposit.city.ilike(pattern),
            )
        )
    return query


@strawberry.type
class CaptureSettingsPayload:
    location_required: bool


CaptureSettingsResult = Annotated[
    CaptureSettingsPayload | NotAuthenticated | NotAllowed,
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


DeleteDepositResult = Annotated[DepositDeleted | Common, strawberry.union("DeleteDepositResult")]


@strawberry.type
class EvidenceMutation:
    @strawberry.mutation(description="Delete a deposit (a sealed one leaves a tombstone).")
    async def delete_deposit(
        self, info: Info[Context, Any], deposit_id: strawberry.ID
    ) -> DeleteDepositResult:
        async def body(actor: Actor, author: deposits.Author) -> DepositDeleted:
            tombstone = await deposits.delete_deposit(
                session=info.context.session,
                author=author,
                deposit_id=node_uuid(deposit_id, "Deposit"),
            )
            fr, en = (
                (
                    "Dépôt supprimé. Ses médias et données personnelles sont effacés ; "
                    "sa référence, "
                    "ses empreintes et ses dates sont conservées pour que les certificats émis "
                    "restent vérifiables.",
                    "Deposit deleted. Its media and personal data are erased; its reference, "
                    "fingerprints and times are kept so that issued certificates stay checkable.",
                )
                if tombstone
                else ("Brouillon supprimé.", "Draft deleted.")
            )
            return DepositDeleted(tombstone=tombstone, message=en if actor.locale == "en" else fr)

        return await _run(info, Permission.DEPOSITS_CREATE, body)

    @strawberry.mutation(
        description="OWNER/ADMIN: block captures without a location (true) or flag them (false)."
    )
    async def update_capture_settings(
        self, info: Info[Context, Any], location_required: bool
    ) -> CaptureSettingsResult:
        actor = await authorise_mutation(info, Permission.ORGANISATION_UPDATE)
        if isinstance(actor, Error):
            return actor  # type: ignore[return-value]
        organisation = await info.context.session.get(Organisation, actor.organisation_id)
        assert organisation is not None
        organisation.capture_location_required = location_required
        return CaptureSettingsPayload(location_required=location_required)

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
        async def body(actor: Actor, author: deposits.Author) -> t.CaptureSessionPayload:
            session = await capture.start_capture(
                session=info.context.session,
                organisation_id=actor.organisation_id,
                membership_id=actor.membership_id,
                user_id=actor.user_id,
                email_verified=actor.email_verified,
                kind=CaptureKind(kind),
                location_required=await _location_required(info, actor),
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

        return await _run(info, Permission.DEPOSITS_CREATE, body)

    @strawberry.mutation(
        description="Reserve an item in a live session; PUT its bytes to `uploadUrl`."
    )
    async def stage_upload(
        self, info: Info[Context, Any], input: StageUploadInput
    ) -> StageUploadResult:
        async def body(actor: Actor, author: deposits.Author) -> t.StagedUpload:
            try:
                session_id = uuid.UUID(str(input.capture_session_id))
            except ValueError:
                raise e.CaptureSessionExpired() from None
            live = await capture.live_session(
                session=info.context.session,
                capture_session_id=session_id,
                membership_id=actor.membership_id,
            )
            location = (
                capture.Location(
                    input.location.latitude,
                    input.location.longitude,
                    input.location.accuracy_meters,
                    input.location.fixed_at,
                )
                if input.location
                else None
            )
            staged = await capture.stage_upload(
                session=info.context.session,
                capture=live,
                sha256=input.sha256,
                size=input.size,
                content_type=input.content_type,
                captured_at=input.captured_at,
                location=location,
                no_location_reason=input.no_location_reason,
                user_agent=info.context.request.headers.get("user-agent"),
                author_user_id=actor.user_id,
            )
            base = info.context.settings.base_url.rstrip("/")
            return t.StagedUpload(
                item_id=strawberry.ID(relay.to_base64("EvidenceItem", str(staged.item.id))),
                upload_url=f"{base}/uploads/{staged.item.id}?token={staged.upload_token}",
                expires_at=min(live.expires_at, staged.item.created_at + timedelta(minutes=10)),
            )

        return await _run(info, Permission.DEPOSITS_CREATE, body)

    @strawberry.mutation(description="Fill a draft deposit: title, address, description, comments.")
    async def update_deposit(
        self, info: Info[Context, Any], input: UpdateDepositInput
    ) -> DepositResult:
        async def body(actor: Actor, author: deposits.Author) -> t.DepositPayload:
            address = deposits.AddressInput(**vars(input.address)) if input.address else None
            comments = {
                node_uuid(c.item_id, "EvidenceItem"): c.comment for c in input.item_comments or []
            }
            deposit_id = node_uuid(input.deposit_id, "Deposit")
            await capture.create_announced_draft(
                session=info.context.session,
                deposit_id=deposit_id,
                membership_id=actor.membership_id,
                author_user_id=actor.user_id,
            )
            deposit = await deposits.update_deposit(
                session=info.context.session,
                author=author,
                deposit_id=deposit_id,
                title=input.title,
                address=address,
                description=input.description,
                item_comments=comments,
            )
            return t.DepositPayload(deposit=t.Deposit.from_model(deposit))

        return await _run(info, Permission.DEPOSITS_CREATE, body)

    @strawberry.mutation(description="Remove an item from a draft deposit.")
    async def delete_item(
        self, info: Info[Context, Any], item_id: strawberry.ID
    ) -> DeleteItemResult:
        async def body(actor: Actor, author: deposits.Author) -> t.DeletedPayload:
            await deposits.delete_item(
                session=info.context.session,
                author=author,
                item_id=node_uuid(item_id, "EvidenceItem"),
            )
            return t.DeletedPayload(ok=True)

        return await _run(info, Permission.DEPOSITS_CREATE, body)

    @strawberry.mutation(
        description="Sign, confirm the quoted price and seal: nothing can change afterwards."
    )
    async def seal_deposit(self, info: Info[Context, Any], input: SealDepositInput) -> SealResult:
        async def body(actor: Actor, author: deposits.Author) -> t.DepositPayload:
            deposit = await deposits.seal_deposit(
                session=info.context.session,
                author=author,
                deposit_id=node_uuid(input.deposit_id, "Deposit"),
                signature_name=input.signature.full_name,
                signature_png_base64=input.signature.image_png_base64,
                confirm_credits=input.confirm_credits,
                locale=actor.locale,
            )
            return t.DepositPayload(deposit=t.Deposit.from_model(deposit))

        return await _run(info, Permission.DEPOSITS_CREATE, body)
