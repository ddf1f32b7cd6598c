"""What evidence holds of one person, for their account export (GDPR access and portability).

Installed into `probant_tenants.deletion` by the composition root (`probant_platform.wiring`):
tenants sit below evidence and never read its tables.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.evidence.models import Deposit, EvidenceItem


async def deposits_authored(
    *, session: AsyncSession, user_id: uuid.UUID, organisation_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The person's deposits in one organisation (the session acts in that organisation)."""
    rows = await session.execute(
        select(Deposit).where(
            Deposit.organisation_id == organisation_id, Deposit.author_user_id == user_id
        )
    )
    deposits: list[dict[str, Any]] = []
    for deposit in rows.scalars():
        items = await session.execute(
            select(EvidenceItem).where(EvidenceItem.deposit_id == deposit.id)
        )
        deposits.append(
            {
                "reference": deposit.reference,
                "status": deposit.status.value,
                "title": deposit.title,
                "city": deposit.city,
                "created_at": deposit.created_at.isoformat(),
                "sealed_at": deposit.sealed_at.isoformat() if deposit.sealed_at else None,
                "items": [
                    {
                        "sha256": i.sha256,
                        "size": i.size,
                        "captured_at": i.captured_at.isoformat(),
                        "comment": i.comment,
                    }
                    for i in items.scalars()
                ],
            }
        )
    return deposits
