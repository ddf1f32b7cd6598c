"""Running the notification jobs as the worker would, and reading a person's inbox."""

from __future__ import annotations

from typing import Any

import httpx
from tests.bailiffs.helpers import Jobs
from tests.factories import gql
from tests.notifications.push_service import Browser

from probant_platform.jobs import job_app

NOTIFYING = ("events.dispatch", "notifications.fan_out", "notifications.send_push")
INBOX = """
query($first: Int, $after: String) {
  unreadNotificationCount
  notifications(first: $first, after: $after) {
    edges { cursor node { id kind title link read readAt createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def run_notifying(jobs: Jobs, names: tuple[str, ...] = NOTIFYING) -> list[str]:
    """Run the pending jobs named (and those they defer); the names of those that ran."""
    ran: list[str] = []
    while batch := [job for job in await jobs.pending() if job[1] in names]:
        for job_id, name, args in batch:
            jobs.done.add(job_id)
            await job_app.tasks[name].func(**args)
            ran.append(name)
    return ran


async def inbox(client: httpx.AsyncClient, first: int = 20) -> dict[str, Any]:
    return await gql(client, INBOX, {"first": first})


def kinds(box: dict[str, Any]) -> list[str]:
    return [edge["node"]["kind"] for edge in box["notifications"]["edges"]]


REGISTER = """
mutation($e: String!, $p: String!, $a: String!) {
  registerPushSubscription(endpoint: $e, p256dh: $p, auth: $a) { __typename
    ... on PushSubscriptionPayload { device { id endpointOrigin } }
    ... on InvalidInput { field message } ... on Error { message } } }"""


PUSH_ON = "mutation { updateNotificationPreferences(push: true) { __typename } }"


async def register_push(client: httpx.AsyncClient, browser: Browser) -> dict[str, Any]:
    sub = browser.subscription()
    done: dict[str, Any] = (
        await gql(client, REGISTER, {"e": sub["endpoint"], "p": sub["p256dh"], "a": sub["auth"]})
    )["registerPushSubscription"]
    return done
