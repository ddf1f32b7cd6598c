"""The operators' console: its types, inputs, payloads and result unions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from probant_graphql.bailiffs.directory.types import BailiffOfficeSettingsInput
from probant_graphql.bailiffs.types import BailiffOffice
from probant_graphql.billing.types import CurrentSubscription, Price
from probant_graphql.context import Context
from probant_graphql.core.errors import InvalidInput, RoleOrAuthErrors
from probant_graphql.tenancy import errors as e
from probant_graphql.tenancy.types import Organisation
from probant_platform.billing import catalogue
from probant_platform.integrity.models import Anchor
from probant_platform.integrity.queries import BatchAnchoring


@strawberry.type(description="A product of the catalogue as an operator sees it.")
class OperatorProduct:
    id: str
    kind: str = strawberry.field(description="PACK or PLAN.")
    name: str
    credits: int = strawberry.field(description="Credits of a pack, monthly credits of a plan.")
    seats: int | None
    price: Price = strawberry.field(description="The price for this organisation, if any.")
    list_price: Price
    negotiated: bool
    active: bool
    rollover: bool
    refund_on_rejection: bool
    pricing_rule: str = strawberry.field(
        description="How deposits are charged: PER_DEPOSIT (1 credit per deposit) or PER_ITEM."
    )


def operator_products(items: list[catalogue.Product], listed: dict[str, int]) -> list[Any]:
    return [
        OperatorProduct(
            id=p.id,
            kind=p.kind.value,
            name=p.name,
            credits=p.credits,
            seats=p.seats,
            price=Price.of(p.price_ttc_cents),
            list_price=Price.of(listed.get(p.id, p.price_ttc_cents)),
            negotiated=p.negotiated,
            active=p.active,
            rollover=p.rollover,
            refund_on_rejection=p.refund_on_rejection,
            pricing_rule=p.pricing_rule,
        )
        for p in items
    ]


@strawberry.type(description="Operators: one organisation at a glance.")
class OrganisationOverview:
    organisation: Organisation
    credit_balance: int = strawberry.field(description="Credits in the organisation's wallet.")
    member_count: int
    plan: CurrentSubscription | None
    prices: list[OperatorProduct] = strawberry.field(
        description="The catalogue at this organisation's prices (negotiated ones flagged)."
    )
    created_at: datetime


@strawberry.type(name="OfficeProposal", description="An office a member would like on Probant.")
class OfficeProposalNode(relay.Node):
    proposal_id: relay.NodeID[str]
    name: str
    city: str
    organisation_name: str
    proposer_email: str | None
    created_at: datetime

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[OfficeProposalNode | None]:
        return [None for _ in node_ids]  # read through `proposedOffices` only


@strawberry.type(name="PlatformAuditEvent", description="One event of any organisation's log.")
class PlatformAuditEvent(relay.Node):
    event_id: relay.NodeID[str]
    action: str
    organisation_id: strawberry.ID
    organisation_name: str
    actor_email: str | None
    target: str | None
    ip: str | None
    reason: str | None = strawberry.field(description="The written reason, when one is required.")
    credits: int | None
    created_at: datetime

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, Any], node_ids: list[str], required: bool = False
    ) -> list[PlatformAuditEvent | None]:
        return [None for _ in node_ids]  # read through `platformAuditLog` only


@strawberry.type(description="The chain transaction that anchors a batch's root.")
class AnchorTransaction:
    chain_id: str
    tx_hash: str
    status: str = strawberry.field(description="SIGNED, SENT or CONFIRMED.")
    development: bool
    block_number: int | None
    confirmations: int | None
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    confirmed_at: datetime | None


@strawberry.type(description="A Merkle batch of sealed items and its anchor.")
class AnchorBatch:
    sequence: int
    root: str
    leaf_count: int
    closed_at: datetime
    anchor: AnchorTransaction | None
    late: bool = strawberry.field(
        description="Closed more than `lateAfterMinutes` ago and still not confirmed."
    )


@strawberry.type(description="Where anchoring stands: latest batches, late ones, waiting items.")
class AnchoringStatus:
    late_after_minutes: int
    waiting_items: int = strawberry.field(description="Sealed items not yet in a batch.")
    latest: list[AnchorBatch]
    late: list[AnchorBatch] = strawberry.field(
        description="Every batch waiting too long for its confirmation, oldest first."
    )


def _anchor(row: Anchor | None) -> AnchorTransaction | None:
    if row is None:
        return None
    return AnchorTransaction(
        chain_id=str(row.chain_id),
        tx_hash=row.tx_hash,
        status=row.status.value,
        development=row.development,
        block_number=row.block_number,
        confirmations=row.confirmations,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        confirmed_at=row.confirmed_at,
    )


def anchor_batch(row: BatchAnchoring) -> AnchorBatch:
    batch = row.batch
    return AnchorBatch(
        sequence=batch.sequence,
        root=batch.root,
        leaf_count=batch.leaf_count,
        closed_at=batch.closed_at,
        anchor=_anchor(row.anchor),
        late=row.late,
    )


@strawberry.input
class BailiffOfficeInput:
    name: str
    street: str
    postcode: str
    city: str
    clerk_email: str
    siren: str | None = None
    directory: BailiffOfficeSettingsInput | None = strawberry.field(
        default=None,
        description="Coordinates (else the postcode's place), service area, whether it "
        "accepts deposits, its PV price (else the platform default), contact email.",
    )


@strawberry.type
class BailiffOfficeCreated:
    office: Organisation
    clerk_invited: str
    directory_entry: BailiffOffice


CreateOfficeResult = Annotated[
    BailiffOfficeCreated | e.InvalidEmail | e.InvalidSiren | InvalidInput | RoleOrAuthErrors,
    strawberry.union("CreateBailiffOfficeResult"),
]
