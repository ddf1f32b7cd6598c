"""A deposit's integrity as the archive shows it: batch, anchor, proof bundle, downloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import select
from strawberry.scalars import JSON
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.permissions import current_actor, locale_of
from probant_platform import urls
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.integrity.bundle import proof_bundle
from probant_platform.integrity.chain import DEVELOPMENT_LABEL
from probant_platform.integrity.links import signed_link
from probant_platform.integrity.models import (
    Anchor,
    AnchorStatus,
    Batch,
    Certificate,
    Leaf,
    PdfVersion,
)


@strawberry.enum(name="IntegrityStatus")
class IntegrityStatus(Enum):
    NOT_SEALED = "NOT_SEALED"
    WAITING_FOR_BATCH = "WAITING_FOR_BATCH"
    WAITING_FOR_ANCHOR = "WAITING_FOR_ANCHOR"
    ANCHORED = "ANCHORED"


@strawberry.type(name="ChainAnchor")
class ChainAnchor:
    chain_id: str = strawberry.field(description="EIP-155 chain id, in decimal.")
    transaction_hash: str
    block_number: int | None
    block_time: datetime | None
    confirmations: int | None
    development: bool
    label: str | None = strawberry.field(
        description='"development chain — not a public ledger" (localised) on the dev chain.'
    )


@strawberry.type(name="DepositIntegrity")
class DepositIntegrity:
    status: IntegrityStatus
    batch_sequences: list[int]
    batch_roots: list[str]
    anchors: list[ChainAnchor]
    verification_url: str


async def _visible(info: Info[Context, Any], deposit_id: str) -> Deposit | None:
    """The deposit again, in the viewer's scope (the Deposit object came from visible rows)."""
    if await current_actor(info) is None:
        return None
    return await info.context.session.get(Deposit, uuid.UUID(deposit_id))


async def integrity_of(info: Info[Context, Any], deposit_id: str) -> DepositIntegrity | None:
    deposit = await _visible(info, deposit_id)
    if deposit is None:
        return None
    settings = info.context.settings
    url = urls.verify_url(settings.base_url, deposit.reference)
    if deposit.status is DepositStatus.DRAFT:
        return DepositIntegrity(
            status=IntegrityStatus.NOT_SEALED,
            batch_sequences=[],
            batch_roots=[],
            anchors=[],
            verification_url=url,
        )
    rows = (
        await info.context.session.execute(
            select(Leaf.batch_id, Batch, Anchor)
            .outerjoin(Batch, Batch.id == Leaf.batch_id)
            .outerjoin(Anchor, Anchor.batch_id == Leaf.batch_id)
            .where(Leaf.deposit_id == deposit.id)
        )
    ).all()
    batches = {b.sequence: b for _, b, _ in rows if b is not None}
    anchors = {a.batch_id: a for _, _, a in rows if a is not None}
    locale = locale_of(info)
    if not rows or any(batch_id is None for batch_id, _, _ in rows):
        status = IntegrityStatus.WAITING_FOR_BATCH
    elif len(anchors) < len(batches) or any(
        a.status is not AnchorStatus.CONFIRMED for a in anchors.values()
    ):
        status = IntegrityStatus.WAITING_FOR_ANCHOR
    else:
        status = IntegrityStatus.ANCHORED
    return DepositIntegrity(
        status=status,
        batch_sequences=sorted(batches),
        batch_roots=[batches[s].root for s in sorted(batches)],
        anchors=[
            ChainAnchor(
                chain_id=str(a.chain_id),
                transaction_hash=a.tx_hash,
                block_number=a.block_number,
                block_time=a.block_time,
                confirmations=a.confirmations,
                development=a.development,
                label=DEVELOPMENT_LABEL["en" if locale == "en" else "fr"]
                if a.development
                else None,
            )
            for a in anchors.values()
            if a.status is AnchorStatus.CONFIRMED
        ],
        verification_url=url,
    )


async def bundle_of(info: Info[Context, Any], deposit_id: str) -> JSON | None:
    deposit = await _visible(info, deposit_id)
    if deposit is None or deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED):
        return None
    bundle = await proof_bundle(
        session=info.context.session, settings=info.context.settings, deposit=deposit
    )
    return bundle  # type: ignore[return-value]


@strawberry.enum(description="A language of the platform's documents.")
class DocumentLanguage(Enum):
    FR = "fr"
    EN = "en"


async def certificate_link(
    info: Info[Context, Any], deposit_id: str, language: DocumentLanguage | None = None
) -> str | None:
    deposit = await _visible(info, deposit_id)
    if deposit is None:
        return None
    found = (
        await info.context.session.execute(
            select(Certificate.locale).where(
                Certificate.deposit_id == deposit.id, Certificate.blob_key.is_not(None)
            )
        )
    ).scalar_one_or_none()
    if found is None:
        return None
    kind = "certificate"
    if language is not None and language.value != found:
        # Another language is a new signed rendering: for the organisation's admins only.
        actor = await current_actor(info)
        if actor is None or not actor.is_admin:
            return None
        kind = f"certificate-{language.value}"
    return signed_link(
        info.context.settings,
        kind=kind,
        organisation_id=deposit.organisation_id,
        deposit_id=deposit.id,
    )


async def certificate_valid_until(info: Info[Context, Any], deposit_id: str) -> datetime | None:
    """When the newest archived version of the deposit's certified report stops being
    checkable without a renewal (its newest timestamp certificate expires)."""
    deposit = await _visible(info, deposit_id)
    if deposit is None:
        return None
    found = await info.context.session.execute(
        select(PdfVersion.valid_until)
        .join(Certificate, Certificate.id == PdfVersion.certificate_id)
        .where(Certificate.deposit_id == deposit.id)
        .order_by(PdfVersion.version.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


async def export_link(info: Info[Context, Any], deposit_id: str) -> str | None:
    deposit = await _visible(info, deposit_id)
    if deposit is None or deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED):
        return None
    return signed_link(
        info.context.settings,
        kind="export",
        organisation_id=deposit.organisation_id,
        deposit_id=deposit.id,
    )
