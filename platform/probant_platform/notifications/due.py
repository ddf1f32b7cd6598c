"""`submission.due_soon`: a submission still open two hours before its review deadline.

Every ten minutes, each office looks at its open submissions (in its own scope) and
publishes the event once per submission (the event key makes a second run publish nothing).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from probant_platform import runtime
from probant_platform.bailiffs.models import OPEN_STATUSES, BailiffOffice, Submission
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.events.outbox import publish
from probant_platform.evidence.models import Deposit
from probant_platform.jobs.queue import job_app

WARN_BEFORE = timedelta(hours=2)


async def publish_due_soon(database: Database, *, now: datetime | None = None) -> int:
    """Publish `submission.due_soon` for every open submission due within two hours; how
    many were new."""
    now = now or utcnow()
    async with database.unit_of_work(TenantScope()) as session:
        offices = list((await session.execute(select(BailiffOffice.office_id))).scalars())
    published = 0
    for office in offices:
        scope = TenantScope(organisation_id=office, office_id=office)
        async with database.unit_of_work(scope) as session:
            due = await session.execute(
                select(Submission, Deposit.reference)
                .join(Deposit, Deposit.id == Submission.deposit_id)
                .where(
                    Submission.office_id == office,
                    Submission.status.in_(OPEN_STATUSES),
                    Submission.due_at > now,
                    Submission.due_at <= now + WARN_BEFORE,
                )
            )
            for submission, reference in due.all():
                published += await publish(
                    session,
                    organisation_id=submission.organisation_id,
                    type="submission.due_soon",
                    key=f"submission.due_soon:{submission.id}",
                    data={
                        "submission_id": submission.id,
                        "deposit_id": submission.deposit_id,
                        "office_id": office,
                        "reference": reference,
                        "due_at": submission.due_at.isoformat(),
                    },
                )
    return published


@job_app.periodic(cron="*/10 * * * *", periodic_id="notifications-due-soon")
@job_app.task(name="notifications.due_soon", queue="notifications", pass_context=False)
async def due_soon(timestamp: int) -> None:
    await publish_due_soon(runtime.current().database, now=datetime.fromtimestamp(timestamp, UTC))
