"""Empty drafts expire: a capture started but never given an item leaves nothing behind.

A click on "start" opens a capture session only; its draft deposit is created with the first
staged item. What can still be left empty: a draft whose items were all removed, and drafts
created before that rule (migration 0930). When every capture session of such a draft has
expired, the draft is deleted (it holds no evidence, no credit was spent); expired sessions
that never received an item go too. A job runs this every 15 minutes across tenants, each
tenant in its own scope.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog
from sqlalchemy import ColumnElement, and_, delete, exists, select, text

from probant_platform.db import Database, TenantScope
from probant_platform.evidence.models import CaptureSession, Deposit, DepositStatus, EvidenceItem

log = structlog.get_logger(__name__)


def _empty_and_idle(now: datetime) -> ColumnElement[bool]:
    return and_(
        Deposit.status == DepositStatus.DRAFT,
        ~exists().where(EvidenceItem.deposit_id == Deposit.id),
        ~exists().where(CaptureSession.deposit_id == Deposit.id, CaptureSession.expires_at > now),
    )


async def expire_empty_drafts(*, database: Database, now: datetime) -> int:
    """Delete every draft with no item whose capture sessions have all expired (how many),
    and the expired sessions that never received an item."""
    async with database.unit_of_work() as session:
        # Tenants are invisible without a scope: a SECURITY DEFINER function names them.
        found = await session.execute(
            text("SELECT * FROM probant_empty_drafts_due(:now)"), {"now": now}
        )
        tenants: list[uuid.UUID] = list(found.scalars())
    removed = 0
    for organisation_id in tenants:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            ids = list(
                (await session.execute(select(Deposit.id).where(_empty_and_idle(now)))).scalars()
            )
            if ids:
                await session.execute(delete(Deposit).where(Deposit.id.in_(ids)))
                removed += len(ids)
            await session.execute(
                delete(CaptureSession).where(
                    CaptureSession.deposit_id.is_(None), CaptureSession.expires_at <= now
                )
            )
    if removed:
        log.info("drafts.expired", count=removed)
    return removed
