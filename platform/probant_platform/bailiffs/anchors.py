"""The blockchain anchors of a deposit's items, as the office's documents cite them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.integrity.chain import DEVELOPMENT_LABEL
from probant_platform.integrity.models import Anchor as AnchorRow
from probant_platform.integrity.models import AnchorStatus, Batch, Leaf


@dataclass(frozen=True)
class Anchor:
    batch_sequence: int
    batch_root: str
    transaction_hash: str
    chain: str
    block_number: int | None
    anchored_at: datetime | None


def _chain(row: AnchorRow) -> str:
    label = f"chaîne {row.chain_id}"
    return f"{label} — {DEVELOPMENT_LABEL['fr']}" if row.development else label


async def anchors_of(*, session: AsyncSession, item_ids: list[uuid.UUID]) -> list[Anchor] | None:
    """The confirmed anchors covering every one of `item_ids` (one per batch), or None while
    any item is not yet in a confirmed anchor."""
    if not item_ids:
        return None
    rows = (
        await session.execute(
            select(Leaf.item_id, Batch, AnchorRow)
            .outerjoin(Batch, Batch.id == Leaf.batch_id)
            .outerjoin(AnchorRow, AnchorRow.batch_id == Leaf.batch_id)
            .where(Leaf.item_id.in_(item_ids))
        )
    ).all()
    if {row[0] for row in rows} != set(item_ids):
        return None
    if any(a is None or b is None or a.status is not AnchorStatus.CONFIRMED for _, b, a in rows):
        return None
    found = {
        batch.sequence: Anchor(
            batch_sequence=batch.sequence,
            batch_root=batch.root,
            transaction_hash=anchor.tx_hash,
            chain=_chain(anchor),
            block_number=anchor.block_number,
            anchored_at=anchor.block_time or anchor.confirmed_at,
        )
        for _, batch, anchor in rows
    }
    return [found[key] for key in sorted(found)]
