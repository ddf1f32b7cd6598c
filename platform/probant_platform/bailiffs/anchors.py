"""The blockchain anchor of a deposit's items, as the office's documents cite it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Anchor:
    batch_root: str
    transaction_hash: str
    chain: str
    anchored_at: str


async def anchor_of(*, session: AsyncSession, item_ids: list[uuid.UUID]) -> Anchor | None:
    """The anchor covering every one of `item_ids`, or None while any is not yet anchored."""
    return None
