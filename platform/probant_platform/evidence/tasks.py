"""Jobs that follow a sealing: the integrity and certificate steps hook in here."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import structlog

from probant_platform import runtime
from probant_platform.db import TenantScope
from probant_platform.evidence import drafts, hooks
from probant_platform.evidence.media.thumbnails import make_preview as preview_of
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_platform.jobs import job_app, task
from probant_platform.storage import collection, store_for

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
    # Its items join the open batch; anchoring and the certified report follow from there.
    await hooks.deposit_sealed(organisation_id=deposit.organisation_id, deposit_id=deposit.id)


@job_app.periodic(cron="*/15 * * * *", periodic_id="evidence-empty-drafts")
@job_app.task(name="evidence.expire_empty_drafts", queue="evidence", pass_context=False)
async def expire_empty_drafts(timestamp: int) -> None:
    """Delete drafts that never received an item once their capture sessions expired."""
    await drafts.expire_empty_drafts(
        database=runtime.current().database, now=datetime.fromtimestamp(timestamp, UTC)
    )


@task(name="evidence.make_preview", queue="media")
async def make_preview(*, organisation_id: str, item_id: str) -> None:
    """Store a thumbnail (photo) or poster frame (video) for an uploaded item."""
    rt = runtime.current()
    store = store_for(rt.settings)
    scope = TenantScope(organisation_id=uuid.UUID(organisation_id))
    async with rt.database.unit_of_work(scope) as session:
        item = await session.get(EvidenceItem, uuid.UUID(item_id))
        if item is None or item.blob_key is None or item.thumbnail_key is not None:
            return
        async with store.local_copy(item.blob_key) as original:
            preview = await preview_of(original, media_type=item.media_type, settings=rt.settings)

        async def body() -> AsyncIterator[bytes]:
            yield preview

        blob = await store.put_stream(
            chunks=body(), max_bytes=5 * 1024 * 1024, expected_sha256=None
        )
        # The same preview may have been released by another tenant: keep it from the
        # collector until this reference is committed (a retry redoes a collected one).
        await collection.hold(session, store, blob.key)
        item.thumbnail_key = blob.key


@job_app.periodic(cron="17 * * * *", periodic_id="evidence-collect-blobs")
@job_app.task(name="evidence.collect_blobs", queue="media", pass_context=False)
async def collect_blobs(timestamp: int) -> None:
    """Hourly: delete the released blobs that nobody points at after the grace period."""
    rt = runtime.current()
    outcome = await collection.collect(database=rt.database, store=store_for(rt.settings))
    log.info("blobs.collected", removed=len(outcome.removed), kept=len(outcome.kept))
