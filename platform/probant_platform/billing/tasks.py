"""The period-end job: expire unused allotted credits, renew development subscriptions."""

from __future__ import annotations

from probant_platform import runtime
from probant_platform.billing.subscriptions import close_periods
from probant_platform.jobs import job_app


async def close_billing_periods(timestamp: int) -> None:
    """Run every quarter of an hour; idempotent, so a late or repeated run is harmless."""
    await close_periods(database=runtime.current().database)


job_app.periodic(cron="*/15 * * * *", periodic_id="billing-period-end")(
    job_app.task(name="billing.close_periods", queue="default", pass_context=False)(
        close_billing_periods
    )
)
