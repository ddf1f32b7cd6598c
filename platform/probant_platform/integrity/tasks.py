"""Integrity jobs: joining the open batch, closing batches, anchoring, certifying."""

from __future__ import annotations

import uuid
from datetime import timedelta

import structlog

from probant_platform import runtime
from probant_platform.db import TenantScope, utcnow
from probant_platform.evidence.deposits import stored_items
from probant_platform.integrity import anchoring, batches, certificates, renewals, timestamps
from probant_platform.integrity.chain import anchor_chain
from probant_platform.integrity.models import Batch
from probant_platform.jobs import job_app, task
from probant_platform.storage import store_for

log = structlog.get_logger(__name__)

TICK_CRON = "* * * * * */10"  # every 10 seconds (croniter: seconds are the 6th field)
SWEEP_AFTER = timedelta(minutes=2)


async def join_sealed_deposit(*, organisation_id: uuid.UUID, deposit_id: uuid.UUID) -> int:
    """Add a sealed deposit's items to the open batch; close it at once when it is full."""
    rt = runtime.current()
    async with rt.database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
        items = await stored_items(session=session, deposit_id=deposit_id)
        joined = await batches.join_open_batch(
            session=session, deposit_id=deposit_id, stored_items=items
        )
    if joined:
        await batches.close_due_batches(database=rt.database, settings=rt.settings)
    return joined


@task(name="integrity.anchor_batch", queue="integrity", retry=10)
async def anchor_batch(*, batch_id: str) -> None:
    """Write a closed batch's root on the chain (idempotent; retried until confirmed)."""
    rt = runtime.current()
    outcome = await anchoring.anchor_batch(
        database=rt.database,
        settings=rt.settings,
        chain=anchor_chain(rt.settings),
        batch_id=uuid.UUID(batch_id),
    )
    log.info("anchor.done", tx_hash=outcome.tx_hash, block=outcome.block_number)


async def tick() -> None:
    """Close due batches; pick up anchors whose job gave up or never ran."""
    rt = runtime.current()
    await batches.close_due_batches(database=rt.database, settings=rt.settings)
    await timestamps.stamp_unstamped(database=rt.database, settings=rt.settings)
    stale = utcnow() - SWEEP_AFTER
    for batch_id in await anchoring.unanchored_batches(rt.database):
        async with rt.database.unit_of_work() as session:
            batch = await session.get(Batch, batch_id)
        if batch is None or batch.closed_at > stale:
            continue
        try:
            await anchoring.anchor_batch(
                database=rt.database,
                settings=rt.settings,
                chain=anchor_chain(rt.settings),
                batch_id=batch_id,
            )
        except Exception as exc:  # the next tick tries again
            log.warning("anchor.sweep_failed", batch=str(batch_id), error=type(exc).__name__)
            return


@job_app.periodic(cron=TICK_CRON, periodic_id="integrity-tick")
@job_app.task(name="integrity.tick", queue="integrity", pass_context=False)
async def periodic_tick(timestamp: int) -> None:
    await tick()


@task(name="integrity.certify_deposit", queue="documents", retry=8)
async def certify_deposit(*, organisation_id: str, deposit_id: str) -> None:
    """Render, sign, store and email the certified report once the deposit is anchored."""
    rt = runtime.current()
    await certificates.certify_deposit(
        database=rt.database,
        settings=rt.settings,
        mailer=rt.mailer,
        organisation_id=uuid.UUID(organisation_id),
        deposit_id=uuid.UUID(deposit_id),
    )


@job_app.periodic(cron="17 3 * * *", periodic_id="integrity-pdf-renewals")
@job_app.task(name="integrity.renew_pdfs", queue="documents", pass_context=False)
async def renew_pdfs(timestamp: int) -> None:
    """PAdES B-LTA: a document timestamp on archived PDFs before their timestamp certificates
    expire (`PROBANT_TIMESTAMP_RENEWAL_DAYS` ahead), and batch roots re-timestamped under
    `PROBANT_ROOT_RETIMESTAMP_HASH` when set, once a day."""
    rt = runtime.current()
    run = await renewals.run_renewals(
        database=rt.database, settings=rt.settings, store=store_for(rt.settings)
    )
    log.info(
        "pdf.renewals",
        measured=run.measured,
        renewed=len(run.renewed),
        retimestamped=len(run.retimestamped),
    )
