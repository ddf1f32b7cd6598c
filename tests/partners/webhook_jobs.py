"""Webhook test helpers: registering an endpoint, and running the webhook jobs as the worker
would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from probant_platform.db import Database
from probant_platform.jobs import job_app

CREATE_ENDPOINT = """
mutation($u: String!, $e: [String!]!) {
  createWebhookEndpoint(url: $u, events: $e) {
    __typename
    ... on WebhookEndpointSecret { secret endpoint { id url events enabled } }
    ... on InvalidInput { field message }
  }
}"""


class Queue:
    """The webhook jobs deferred since the test began, run as the worker would (schedule
    ignored: a retry runs when the test says so)."""

    def __init__(self, database: Database, after: int):
        self.database, self.after, self.done = database, after, set[int]()

    async def pending(self) -> list[tuple[int, str, dict[str, Any]]]:
        async with self.database.unit_of_work() as session:
            rows = await session.execute(
                text(
                    "SELECT id, task_name, args FROM procrastinate_jobs WHERE status = 'todo' "
                    "AND id > :a AND task_name IN ('events.dispatch', 'webhooks.deliver') "
                    "ORDER BY id"
                ),
                {"a": self.after},
            )
            return [(r.id, r.task_name, r.args) for r in rows if r.id not in self.done]

    async def run_once(self) -> int:
        """Run the jobs pending now (not those they defer); how many ran."""
        batch = await self.pending()
        for job_id, name, args in batch:
            self.done.add(job_id)
            await job_app.tasks[name].func(**args)
        return len(batch)


async def webhook_queue(database: Database) -> Queue:
    async with database.unit_of_work() as session:
        last = (
            await session.execute(text("SELECT coalesce(max(id), 0) FROM procrastinate_jobs"))
        ).scalar_one()
    return Queue(database, int(last))
