"""What anyone may learn about a sealed item: no media, no name, a place to about 1 km.

Read from the platform-wide integrity tables only, which hold nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.integrity.chain import DEVELOPMENT_LABEL
from probant_platform.integrity.models import Anchor, AnchorStatus, Batch, Leaf
from probant_platform.integrity.records import timestamp

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9-]{4,32}$")
MAX_RESULTS = 25


@dataclass(frozen=True)
class PublicFacts:
    reference: str
    sha256: str
    sealed_at: datetime
    latitude: float | None
    longitude: float | None
    batch: int | None
    anchor: Anchor | None

    def as_json(self, locale: str) -> dict[str, Any]:
        anchored = self.anchor is not None and self.anchor.status is AnchorStatus.CONFIRMED
        anchor = self.anchor if anchored else None
        return {
            "reference": self.reference,
            "sha256": self.sha256,
            "sealed_at": timestamp(self.sealed_at),
            "approximate_place": (
                {"latitude": self.latitude, "longitude": self.longitude, "precision_km": 1}
                if self.latitude is not None and self.longitude is not None
                else None
            ),
            "batch": self.batch,
            "anchor": None
            if anchor is None
            else {
                "chain_id": anchor.chain_id,
                "development": anchor.development,
                "label": DEVELOPMENT_LABEL[locale if locale == "en" else "fr"]
                if anchor.development
                else None,
                "transaction_hash": anchor.tx_hash,
                "block_number": anchor.block_number,
                "block_time": timestamp(anchor.block_time) if anchor.block_time else None,
            },
        }


async def _facts(session: AsyncSession, condition: Any) -> list[PublicFacts]:
    rows = await session.execute(
        select(Leaf, Batch.sequence, Anchor)
        .outerjoin(Batch, Batch.id == Leaf.batch_id)
        .outerjoin(Anchor, Anchor.batch_id == Leaf.batch_id)
        .where(condition)
        .order_by(Leaf.id)
        .limit(MAX_RESULTS)
    )
    return [
        PublicFacts(
            reference=leaf.deposit_reference,
            sha256=leaf.item_sha256,
            sealed_at=leaf.sealed_at,
            latitude=leaf.approximate_latitude,
            longitude=leaf.approximate_longitude,
            batch=sequence,
            anchor=anchor,
        )
        for leaf, sequence, anchor in rows
    ]


async def by_sha256(*, session: AsyncSession, sha256: str) -> list[PublicFacts]:
    value = sha256.strip().lower()
    if not SHA256_PATTERN.match(value):
        return []
    return await _facts(session, Leaf.item_sha256 == value)


async def by_reference(*, session: AsyncSession, reference: str) -> list[PublicFacts]:
    value = reference.strip().upper()
    if not REFERENCE_PATTERN.match(value):
        return []
    return await _facts(session, Leaf.deposit_reference == value)
