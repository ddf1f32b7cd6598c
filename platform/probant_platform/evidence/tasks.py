"""Jobs that follow a sealing: the integrity and certificate steps hook in here."""

from __future__ import annotations

import uuid

import structlog

from probant_platform import runtime
from probant_platform.db import TenantScope
from probant_platform.evidence.models import Deposit
from probant_platform.jobs import task

log = structlog.get_logger(__name__)


@task(name="evidence.deposit_sealed", queue="evidence")
async def deposit_sealed(*, organisation_id: str, deposit_id: str) -> None:
    """Tell the author their deposit is sealed (certificate and anchoring follow)."""
    rt = runtime.current()
    scope = TenantScope(organisation_id=uuid.UUID(organisation_id))
    async with rt.database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, uuid.UUID(deposit_id))
        if deposit is None:
            return
        log.info("deposit.sealed", reference=deposit.reference)
