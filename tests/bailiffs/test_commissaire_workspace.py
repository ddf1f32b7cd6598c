# ruff: noqa: E501  (GraphQL operations kept on one line)
"""What the office workspace relies on: queue filters (tenant, claimed by me) and the
review-request email (a link to the review screen, the deadline in Paris time)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tests.bailiffs.helpers import Jobs, make_office, sealed_deposit, submit
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.bailiffs.words import paris_deadline
from probant_platform.db import Database
from probant_platform.notifications.templates import render_email

QUEUE = "query($f: ReviewQueueFilter) { reviewQueue(filter: $f) { edges { node { id requesterName claimedBy } } } }"
CLAIM = "mutation($s: ID!) { claimSubmission(submissionId: $s) { __typename } }"


async def _tenant(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], name: str
) -> httpx.AsyncClient:
    firm = await make_organisation(database, name=name)
    await fund(database, firm.organisation_id, 3)
    client = client_factory()
    await log_in(client, firm)
    return client


async def test_the_queue_filters_by_tenant_and_by_who_claimed(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    office = await make_office(database, name="Étude Durand")
    verne = await _tenant(database, client_factory, "Cabinet Verne")
    hugo = await _tenant(database, client_factory, "Société Hugo")
    first = (await submit(verne, (await sealed_deposit(verne))["id"], office.node_id))[
        "submission"
    ]["id"]
    second = (await submit(hugo, (await sealed_deposit(hugo))["id"], office.node_id))["submission"][
        "id"
    ]
    clerk, colleague = client_factory(), client_factory()
    await log_in(clerk, office.clerk)
    await log_in(colleague, office.commissaire)
    await gql(clerk, CLAIM, {"s": first})
    await gql(colleague, CLAIM, {"s": second})

    def ids(result: dict) -> list[str]:
        return [e["node"]["id"] for e in result["reviewQueue"]["edges"]]

    everything = await gql(clerk, QUEUE, {"f": {}})
    by_tenant = await gql(clerk, QUEUE, {"f": {"requester": "verne"}})
    wildcard = await gql(clerk, QUEUE, {"f": {"requester": "%"}})
    mine = await gql(clerk, QUEUE, {"f": {"claimedByMe": True}})
    theirs = await gql(colleague, QUEUE, {"f": {"claimedByMe": True}})

    assert sorted(ids(everything)) == sorted([first, second])
    assert ids(by_tenant) == [first]
    assert ids(wildcard) == []  # a filter, not a pattern
    assert ids(mine) == [first] and ids(theirs) == [second]


async def test_the_review_request_links_to_the_review_screen_with_a_paris_deadline(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    office = await make_office(database, name="Étude Durand")
    tenant = await _tenant(database, client_factory, "Cabinet Verne")
    jobs = await Jobs.watch(database)
    submission = (await submit(tenant, (await sealed_deposit(tenant))["id"], office.node_id))[
        "submission"
    ]
    await jobs.run()

    [mail] = [
        m
        for m in await jobs.emails(to=office.clerk.email)
        if m["template"] == "office_new_submission"
    ]
    message = render_email(
        "office_new_submission",
        to=office.clerk.email,
        sender="p@example.com",
        locale=mail["locale"],
        context=mail["context"],
    )
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert re.search(
        r"Examen attendu avant le \d{1,2}(er)? \w+ \d{4} à \d\d:\d\d \(heure de Paris\)\.", body
    ), body
    assert "+00:00" not in body and "(UTC)" not in body
    link = re.search(r"https?://\S+/app/office/review/(\S+)", body)
    assert link, body
    assert base64.b64encode(f"Submission:{link.group(1)}".encode()).decode() == submission["id"]


def test_deadlines_read_in_paris_time_in_both_languages() -> None:
    winter = datetime(2026, 12, 1, 19, 31, 1, tzinfo=UTC)
    summer = datetime(2026, 7, 14, 8, 5, tzinfo=UTC)
    assert paris_deadline(winter, "fr") == "1er décembre 2026 à 20:31 (heure de Paris)"
    assert paris_deadline(winter, "en") == "1 December 2026 at 20:31 (Paris time)"
    assert paris_deadline(summer, "fr") == "14 juillet 2026 à 10:05 (heure de Paris)"
