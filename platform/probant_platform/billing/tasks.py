"""Billing jobs: closing subscription periods (expiry, development renewals) every hour."""

from __future__ import annotations

from probant_platform import runtime
from probant_platform.billing.subscriptions import run_period_ends
from probant_platform.jobs.queue import job_app


@job_app.periodic(cron="7 * * * *", periodic_id="billing-period-ends")
@job_app.task(name="billing.period_ends", queue="billing", pass_context=False)
async def period_ends(timestamp: int) -> None:
    """Expire unused allotments of ended periods; renew development subscriptions."""
    await run_period_ends(database=runtime.current().database)
