"""The inbox: each event reaches the people it concerns once, in their language."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from tests.bailiffs.helpers import (
    ACCEPT,
    CLAIM,
    REJECT,
    Jobs,
    Office,
    make_office,
    sealed_deposit,
    submit,
)
from tests.factories import Role, add_member, gql, log_in, make_organisation, set_language
from tests.ledger_helpers import fund
from tests.notifications.helpers import inbox, kinds, run_notifying

from probant_platform.db import Database
from probant_platform.notifications.fanout import fan_out

Factory = Callable[[], httpx.AsyncClient]
READ = """
mutation($i: ID!) { markNotificationRead(id: $i) { __typename
  ... on NotificationReadPayload { unreadCount notification { id read } }
  ... on Error { message } } }"""
ALL_READ = """
mutation { markAllNotificationsRead { __typename
  ... on AllNotificationsReadPayload { marked unreadCount } ... on Error { message } } }"""


async def _world(
    database: Database, client_factory: Factory
) -> tuple[Office, dict[str, httpx.AsyncClient]]:
    office = await make_office(database, name="Étude Notif")
    firm = await make_organisation(database, name="Cabinet Cloche")
    await fund(database, firm.organisation_id, 10)
    admin = await add_member(database, firm, role=Role.ADMIN)
    collaborator = await add_member(database, firm, role=Role.COLLABORATOR)
    await set_language(database, admin, "en")
    clients = {name: client_factory() for name in ("owner", "admin", "collaborator", "clerk")}
    await log_in(clients["owner"], firm)
    await log_in(clients["admin"], admin)
    await log_in(clients["collaborator"], collaborator)
    await log_in(clients["clerk"], office.clerk)
    return office, clients


async def test_a_decision_reaches_the_author_the_admins_and_the_clerks_once(
    database: Database, client_factory: Factory
) -> None:
    office, c = await _world(database, client_factory)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(c["owner"])
    submission = (await submit(c["owner"], deposit["id"], office.node_id))["submission"]
    await gql(c["clerk"], CLAIM, {"s": submission["id"]})
    accepted = await gql(c["clerk"], ACCEPT, {"s": submission["id"]})
    assert accepted["acceptDeposit"]["__typename"] == "SubmissionPayload", accepted
    ran = await run_notifying(jobs)
    assert ran.count("notifications.fan_out") == 3  # sealed, received, accepted

    author = await inbox(c["owner"])
    assert kinds(author) == ["submission.accepted", "deposit.sealed"]
    assert author["unreadNotificationCount"] == 2
    first = author["notifications"]["edges"][0]["node"]
    ref = deposit["reference"]
    assert first["title"] == f"Dépôt {ref} accepté par l'étude : attestation émise."
    assert first["link"] == f"/deposits/{deposit['id']}"
    assert first["read"] is False

    admin = await inbox(c["admin"])  # English reader
    assert kinds(admin) == ["submission.accepted"]
    assert admin["notifications"]["edges"][0]["node"]["title"] == (
        f"Deposit {ref} accepted by the office: attestation issued."
    )
    assert kinds(await inbox(c["collaborator"])) == []  # neither author nor admin

    clerk = await inbox(c["clerk"])
    assert kinds(clerk) == ["submission.received"]
    received = clerk["notifications"]["edges"][0]["node"]
    assert received["title"] == f"Nouveau dépôt {ref} à examiner."
    assert received["link"] == f"/office/review/{uuid.UUID(_raw(submission['id']))}"

    # The fan-out run again (a retried job) tells nobody twice.
    for _, _, args in await _all_fan_outs(jobs):
        assert (
            await fan_out(
                database,
                organisation_id=uuid.UUID(args["organisation_id"]),
                event_id=uuid.UUID(args["event_id"]),
            )
            == 0
        )
    assert (await inbox(c["owner"]))["unreadNotificationCount"] == 2
    assert kinds(await inbox(c["admin"])) == ["submission.accepted"]


def _raw(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def _all_fan_outs(jobs: Jobs) -> list[tuple[int, str, dict[str, Any]]]:
    async with jobs.database.unit_of_work() as session:
        rows = await session.execute(
            text(
                "SELECT id, task_name, args FROM procrastinate_jobs WHERE id > :a "
                "AND task_name = 'notifications.fan_out' ORDER BY id"
            ),
            {"a": jobs.after_id},
        )
        return [(r.id, r.task_name, r.args) for r in rows]


async def test_a_rejection_tells_the_reason_and_read_marks_count_down(
    database: Database, client_factory: Factory
) -> None:
    office, c = await _world(database, client_factory)
    jobs = await Jobs.watch(database)
    deposit = await sealed_deposit(c["owner"])
    submission = (await submit(c["owner"], deposit["id"], office.node_id))["submission"]
    rejected = await gql(
        c["clerk"],
        REJECT,
        {"i": {"submissionId": submission["id"], "reason": "UNUSABLE_BLURRED", "comment": "x"}},
    )
    assert rejected["rejectDeposit"]["__typename"] == "SubmissionPayload", rejected
    await run_notifying(jobs)
    box = await inbox(c["admin"])
    [node] = [e["node"] for e in box["notifications"]["edges"]]
    assert node["kind"] == "submission.rejected"
    assert node["title"] == (
        f"Deposit {deposit['reference']} rejected by the office (unusable image: blurred)."
    )

    owner = await inbox(c["owner"])
    assert owner["unreadNotificationCount"] == 2
    newest = owner["notifications"]["edges"][0]["node"]
    assert "image inexploitable : floue" in newest["title"]
    read = (await gql(c["owner"], READ, {"i": newest["id"]}))["markNotificationRead"]
    assert read["__typename"] == "NotificationReadPayload"
    assert read["unreadCount"] == 1 and read["notification"]["read"] is True
    again = (await gql(c["owner"], READ, {"i": newest["id"]}))["markNotificationRead"]
    assert again["unreadCount"] == 1  # marking twice changes nothing

    # Someone else's notification, or an id that is no notification: not found.
    stolen = (await gql(c["admin"], READ, {"i": newest["id"]}))["markNotificationRead"]
    assert stolen == {"__typename": "NotFound", "message": "This notification does not exist."}
    outsider = client_factory()  # another organisation altogether
    await log_in(outsider, await make_organisation(database))
    elsewhere = (await gql(outsider, READ, {"i": newest["id"]}))["markNotificationRead"]
    assert elsewhere["__typename"] == "NotFound"
    assert (await inbox(outsider))["notifications"]["edges"] == []
    bogus = (await gql(c["owner"], READ, {"i": "not-an-id"}))["markNotificationRead"]
    assert bogus["__typename"] == "NotFound"
    assert bogus["message"] == "Cette notification n'existe pas."
    assert (await inbox(c["admin"]))["unreadNotificationCount"] == 1

    everything = (await gql(c["owner"], ALL_READ))["markAllNotificationsRead"]
    assert everything == {
        "__typename": "AllNotificationsReadPayload",
        "marked": 1,
        "unreadCount": 0,
    }
    assert (await inbox(c["owner"]))["unreadNotificationCount"] == 0


async def test_the_inbox_pages_and_needs_a_login(
    database: Database, client_factory: Factory
) -> None:
    _, c = await _world(database, client_factory)
    jobs = await Jobs.watch(database)
    for _ in range(3):
        await sealed_deposit(c["owner"])
    await run_notifying(jobs)
    page = await inbox(c["owner"], first=2)
    assert len(page["notifications"]["edges"]) == 2
    assert page["notifications"]["pageInfo"]["hasNextPage"] is True
    rest = await gql(
        c["owner"],
        "query($a: String) { notifications(first: 2, after: $a) { edges { node { kind } } "
        "pageInfo { hasNextPage } } }",
        {"a": page["notifications"]["pageInfo"]["endCursor"]},
    )
    assert [e["node"]["kind"] for e in rest["notifications"]["edges"]] == ["deposit.sealed"]
    assert rest["notifications"]["pageInfo"]["hasNextPage"] is False

    anonymous = client_factory()
    response = await anonymous.post("/graphql", json={"query": "{ unreadNotificationCount }"})
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    marked = await anonymous.post(
        "/graphql", json={"query": "mutation { markAllNotificationsRead { __typename } }"}
    )
    assert marked.json()["data"]["markAllNotificationsRead"]["__typename"] == "NotAuthenticated"
