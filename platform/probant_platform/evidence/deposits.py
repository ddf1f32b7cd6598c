"""Filling, pricing, sealing and deleting deposits."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.db import utcnow
from probant_platform.events import credits
from probant_platform.events.outbox import publish
from probant_platform.evidence.errors import (
    AlreadySealed,
    DepositNotFound,
    InvalidText,
    NothingToSeal,
    QuoteChanged,
    SignatureRequired,
)
from probant_platform.evidence.hooks import forget_deposit
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem, ItemStatus
from probant_platform.jobs import enqueue
from probant_platform.ledger import pricing, services
from probant_platform.storage import collection
from probant_platform.storage.local import key_for
from probant_platform.text import clean_line, clean_paragraph

MAX_SIGNATURE_PNG = 200_000


@dataclass(frozen=True)
class Author:
    """Who acts on a deposit: only its author, or an admin of its organisation, may."""

    organisation_id: uuid.UUID
    membership_id: uuid.UUID
    is_admin: bool


@dataclass(frozen=True)
class AddressInput:
    street: str = ""
    postcode: str = ""
    city: str = ""
    floor: str = ""
    flat: str = ""
    building: str = ""
    details: str = ""


async def get_deposit(
    *, session: AsyncSession, author: Author, deposit_id: uuid.UUID, for_update: bool = False
) -> Deposit:
    deposit = await session.get(Deposit, deposit_id, with_for_update=for_update)
    if (
        deposit is None
        or deposit.organisation_id != author.organisation_id
        or (not author.is_admin and deposit.author_membership_id != author.membership_id)
    ):
        raise DepositNotFound()
    return deposit


async def stored_items(*, session: AsyncSession, deposit_id: uuid.UUID) -> list[EvidenceItem]:
    rows = await session.execute(
        select(EvidenceItem)
        .where(EvidenceItem.deposit_id == deposit_id, EvidenceItem.status == ItemStatus.STORED)
        .order_by(EvidenceItem.captured_at, EvidenceItem.id)
    )
    return list(rows.scalars())


def _text(value: str | None, field: str, limit: int, *, paragraph: bool = False) -> str:
    if value is None or value == "":
        return ""
    cleaned = (
        clean_paragraph(value, max_length=limit)
        if paragraph
        else clean_line(value, max_length=limit)
    )
    if cleaned is None:
        raise InvalidText(field=field)
    return cleaned


async def update_deposit(
    *,
    session: AsyncSession,
    author: Author,
    deposit_id: uuid.UUID,
    title: str | None,
    address: AddressInput | None,
    description: str | None,
    item_comments: dict[uuid.UUID, str],
) -> Deposit:
    """Fill a draft: every field is checked before anything is written."""
    deposit = await get_deposit(
        session=session, author=author, deposit_id=deposit_id, for_update=True
    )
    if deposit.status is not DepositStatus.DRAFT:
        raise AlreadySealed()
    values: dict[str, str] = {}
    if title is not None:
        values["title"] = _text(title, "title", 200)
    if address is not None:
        for field, limit in (
            ("street", 200),
            ("postcode", 10),
            ("city", 100),
            ("floor", 40),
            ("flat", 40),
            ("building", 100),
        ):
            values[field] = _text(getattr(address, field), field, limit)
        values["address_details"] = _text(address.details, "details", 500, paragraph=True)
    if description is not None:
        values["description"] = _text(description, "description", 5000, paragraph=True)
    comments = {
        item_id: _text(text, "comment", 2000, paragraph=True)
        for item_id, text in item_comments.items()
    }
    items = {item.id: item for item in await stored_items(session=session, deposit_id=deposit.id)}
    if any(item_id not in items for item_id in comments):
        raise DepositNotFound()
    for field, value in values.items():
        setattr(deposit, field, value)
    for item_id, comment in comments.items():
        items[item_id].comment = comment
    await session.flush()
    return deposit


async def delete_item(*, session: AsyncSession, author: Author, item_id: uuid.UUID) -> None:
    item = await session.get(EvidenceItem, item_id)
    if item is None:
        raise DepositNotFound()
    deposit = await get_deposit(session=session, author=author, deposit_id=item.deposit_id)
    if deposit.status is not DepositStatus.DRAFT:
        raise AlreadySealed()
    await session.delete(item)
    await session.flush()
    await collection.release(session, _blob_keys([item]))


async def quote(*, session: AsyncSession, deposit: Deposit) -> pricing.Quote:
    items = await stored_items(session=session, deposit_id=deposit.id)
    photos = sum(1 for i in items if (i.media_type or "").startswith("image/"))
    video = sum(i.duration_seconds or 0 for i in items if (i.media_type or "").startswith("video/"))
    return await pricing.quote_deposit(
        session=session,
        organisation_id=deposit.organisation_id,
        photos=photos,
        video_seconds=video or None,
    )


async def seal_deposit(
    *,
    session: AsyncSession,
    author: Author,
    deposit_id: uuid.UUID,
    signature_name: str,
    signature_png_base64: str | None,
    confirm_credits: int,
    locale: str | None = None,
) -> Deposit:
    """Freeze the deposit and debit its price, in one transaction; any refusal changes nothing.
    `locale` is the language it was sealed in (its certified report's)."""
    deposit = await get_deposit(
        session=session, author=author, deposit_id=deposit_id, for_update=True
    )
    if deposit.status is not DepositStatus.DRAFT:
        raise AlreadySealed()
    name = clean_line(signature_name or "", max_length=200)
    if name is None:
        raise SignatureRequired()
    png = _signature_png(signature_png_base64)
    items = await stored_items(session=session, deposit_id=deposit.id)
    if not items or not deposit.title or not deposit.city:
        raise NothingToSeal()
    price = await quote(session=session, deposit=deposit)
    if price.credits != confirm_credits:
        raise QuoteChanged(credits=price.credits)
    await services.spend(
        session=session,
        organisation_id=deposit.organisation_id,
        membership_id=deposit.author_membership_id,
        role_is_admin=author.is_admin,
        credits=price.credits,
        idempotency_key=f"seal:{deposit.id}",
        reference=deposit.reference,
    )
    deposit.status, deposit.sealed_at = DepositStatus.SEALED, utcnow()
    deposit.signature_name, deposit.signature_png, deposit.credits_spent = name, png, price.credits
    deposit.locale = locale if locale in ("fr", "en") else None
    await session.flush()
    await publish(
        session,
        organisation_id=deposit.organisation_id,
        type="deposit.sealed",
        key=f"deposit.sealed:{deposit.id}",
        data={"deposit_id": deposit.id, "reference": deposit.reference},
    )
    await credits.after_spend(
        session,
        organisation_id=deposit.organisation_id,
        spent=price.credits,
        from_wallet=author.is_admin,
        key=f"seal:{deposit.id}",
    )
    await enqueue(
        session,
        "evidence.deposit_sealed",
        organisation_id=str(deposit.organisation_id),
        deposit_id=str(deposit.id),
    )
    return deposit


def _signature_png(value: str | None) -> bytes | None:
    if not value:
        return None
    try:
        data = base64.b64decode(value.split(",")[-1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidText(field="signature") from exc
    if len(data) > MAX_SIGNATURE_PNG or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InvalidText(field="signature")
    return data


PERSONAL_FIELDS = (
    "title",
    "street",
    "postcode",
    "city",
    "floor",
    "flat",
    "building",
    "address_details",
    "description",
)


def _blob_keys(items: list[EvidenceItem]) -> set[str]:
    """Every key the items point at, or will once an upload in flight completes."""
    keys = {key_for(item.declared_sha256) for item in items}
    return keys | {k for item in items for k in (item.blob_key, item.thumbnail_key) if k}


async def delete_deposit(*, session: AsyncSession, author: Author, deposit_id: uuid.UUID) -> bool:
    """A draft goes entirely; a sealed deposit loses its media and personal data but keeps a
    tombstone (reference, hashes, sizes, times) so certificates already issued stay checkable.
    Returns whether a tombstone was left. No blob is deleted here: they may be shared with
    other tenants, so they are only released to the collector (`storage.collection`)."""
    deposit = await get_deposit(
        session=session, author=author, deposit_id=deposit_id, for_update=True
    )
    if deposit.status is DepositStatus.DELETED:
        raise DepositNotFound()
    items = list(
        (
            await session.execute(select(EvidenceItem).where(EvidenceItem.deposit_id == deposit.id))
        ).scalars()
    )
    keys = _blob_keys(items)
    tombstone = deposit.status is not DepositStatus.DRAFT
    if not tombstone:
        await session.delete(deposit)
    else:
        # One UPDATE: the database accepts a sealed deposit's only way out, the tombstone,
        # when it erases the personal data and keeps everything else.
        deposit.status, deposit.deleted_at = DepositStatus.DELETED, utcnow()
        for field in PERSONAL_FIELDS:
            setattr(deposit, field, "")
        deposit.signature_name, deposit.signature_png = None, None
        await session.flush()  # the items' personal data may go once the deposit is a tombstone
        for item in items:
            item.comment, item.blob_key, item.user_agent = "", None, None
            item.thumbnail_key = None
            item.latitude = item.longitude = item.accuracy_meters = None
        keys |= set(await forget_deposit(session=session, deposit_id=deposit.id))
    await session.flush()
    await collection.release(session, keys)
    return tombstone
