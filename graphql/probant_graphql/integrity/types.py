"""A deposit's integrity as the archive shows it: batch, anchor, proof bundle, downloads."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from probant_graphql.context import Context
from probant_graphql.core.ids import decode_id
from probant_graphql.permissions import current_actor, locale_of, may
from probant_platform import urls
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.integrity import queries
from probant_platform.integrity.bundle import proof_bundle
from probant_platform.integrity.chain import DEVELOPMENT_LABEL
from probant_platform.integrity.links import signed_link
from probant_tenants.authz import Permission

IntegrityStatus = strawberry.enum(queries.IntegrityStatus, name="IntegrityStatus")


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
    status: IntegrityStatus  # type: ignore[valid-type]
    batch_sequences: list[int]
    batch_roots: list[str]
    anchors: list[ChainAnchor]
    verification_url: str


async def _visible(info: Info[Context, Any], deposit_id: str) -> Deposit | None:
    """The deposit again, in the viewer's scope (the Deposit object came from visible rows)."""
    if await current_actor(info) is None:
        return None
    found = decode_id(deposit_id, "Deposit")
    return None if found is None else await info.context.session.get(Deposit, found)


async def integrity_of(info: Info[Context, Any], deposit_id: str) -> DepositIntegrity | None:
    deposit = await _visible(info, deposit_id)
    if deposit is None:
        return None
    found = await queries.deposit_integrity(session=info.context.session, deposit=deposit)
    label = DEVELOPMENT_LABEL["en" if locale_of(info) == "en" else "fr"]
    return DepositIntegrity(
        status=found.status,
        batch_sequences=[b.sequence for b in found.batches],
        batch_roots=[b.root for b in found.batches],
        anchors=[
            ChainAnchor(
                chain_id=str(a.chain_id),
                transaction_hash=a.tx_hash,
                block_number=a.block_number,
                block_time=a.block_time,
                confirmations=a.confirmations,
                development=a.development,
                label=label if a.development else None,
            )
            for a in found.anchors
        ],
        verification_url=urls.verify_url(info.context.settings.base_url, deposit.reference),
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
    found = await queries.issued_certificate_locale(
        session=info.context.session, deposit_id=deposit.id
    )
    if found is None:
        return None
    kind = "certificate"
    if language is not None and language.value != found:
        # Another language is a new signed rendering: for those who read all the
        # organisation's deposits (its admins) only.
        actor = await current_actor(info)
        if actor is None or not await may(info, actor, Permission.DEPOSITS_READ_ALL):
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
    return await queries.certificate_valid_until(
        session=info.context.session, deposit_id=deposit.id
    )


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
