"""Web push through a local push service that verifies the VAPID JWT and decrypts each
payload with the subscription's private key (the test plays the browser)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from tests.bailiffs.helpers import Jobs, sealed_deposit
from tests.factories import MemberInfo, gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.notifications.helpers import PUSH_ON, REGISTER, register_push, run_notifying
from tests.notifications.push_service import b64, running_push_service

from probant_platform.db import Database
from probant_platform.jobs import job_app
from probant_platform.notifications.push import PushServiceBusy

Factory = Callable[[], httpx.AsyncClient]
DEVICES = "{ pushDevices { id endpointOrigin lastSuccessAt } }"


async def _person(
    database: Database, client_factory: Factory, *, push: bool = True
) -> tuple[httpx.AsyncClient, MemberInfo]:
    firm = await make_organisation(database)
    await fund(database, firm.organisation_id, 10)
    client = client_factory()
    await log_in(client, firm)
    if push:
        await gql(client, PUSH_ON)
    return client, firm


async def test_a_push_reaches_each_device_signed_and_encrypted(
    database: Database, client_factory: Factory
) -> None:
    client, _ = await _person(database, client_factory)
    server_key = (await gql(client, "{ webPushPublicKey }"))["webPushPublicKey"]
    assert server_key and len(server_key) == 87  # a P-256 point, base64url
    async with running_push_service() as service:
        phone, laptop = service.browser(), service.browser()
        for browser in (phone, laptop):
            registered = await register_push(client, browser)
            assert registered["__typename"] == "PushSubscriptionPayload", registered
            assert registered["device"]["endpointOrigin"] == service.origin
        jobs = await Jobs.watch(database)
        deposit = await sealed_deposit(client)
        ran = await run_notifying(jobs)
    assert ran.count("notifications.send_push") == 2
    assert service.refused == []
    assert sorted(d.path for d in service.delivered) == sorted(
        b.endpoint.removeprefix(service.origin) for b in (phone, laptop)
    )
    for delivered in service.delivered:
        assert delivered.vapid_key == server_key
        assert delivered.claims["sub"].startswith("mailto:")
        assert delivered.payload["body"] == f"Dépôt {deposit['reference']} scellé."
        assert delivered.payload["url"] == f"http://testserver/app/deposits/{deposit['id']}"
        assert delivered.headers["topic"] == delivered.payload["tag"]
    devices = (await gql(client, DEVICES))["pushDevices"]
    assert len(devices) == 2 and all(d["lastSuccessAt"] for d in devices)


async def test_push_is_off_until_the_person_turns_it_on(
    database: Database, client_factory: Factory
) -> None:
    client, _ = await _person(database, client_factory, push=False)
    choices = (await gql(client, "{ notificationChoices { kind channel enabled } }"))[
        "notificationChoices"
    ]
    assert not any(c["enabled"] for c in choices if c["channel"] == "PUSH")
    async with running_push_service() as service:
        await register_push(client, service.browser())
        jobs = await Jobs.watch(database)
        await sealed_deposit(client)
        ran = await run_notifying(jobs)
    assert "notifications.send_push" not in ran
    assert service.delivered == []


async def test_gone_devices_are_removed_and_a_failing_service_is_retried_later(
    database: Database, client_factory: Factory
) -> None:
    client, _ = await _person(database, client_factory)
    async with running_push_service() as service:
        gone, busy = service.browser(), service.browser()
        await register_push(client, gone)
        await register_push(client, busy)
        jobs = await Jobs.watch(database)
        await sealed_deposit(client)  # the seal commits whatever the push service does
        await run_notifying(jobs, ("events.dispatch", "notifications.fan_out"))
        pushes = await jobs.pending("notifications.send_push")
        assert len(pushes) == 2
        for job_id, _, _ in pushes:
            jobs.done.add(job_id)
        first, second = (args for _, _, args in pushes)
        # The service answers 410 to one device and 503 to the other.
        service.plan(410, 503)
        await job_app.tasks["notifications.send_push"].func(**first)
        with pytest.raises(PushServiceBusy):  # procrastinate retries the job later
            await job_app.tasks["notifications.send_push"].func(**second)
        assert len((await gql(client, DEVICES))["pushDevices"]) == 1  # 410: removed
        await job_app.tasks["notifications.send_push"].func(**second)  # the retry
        assert len(service.delivered) == 3  # both attempts reached the service, then 201
        # A retried fan-out sends nothing again.
        await run_notifying(jobs)
        fan_outs = [a for _, n, a in await _fan_outs(jobs) if n == "notifications.fan_out"]
        for args in fan_outs:
            await job_app.tasks["notifications.fan_out"].func(**args)
        assert await jobs.pending("notifications.send_push") == []

    # Nothing listens any more: the push fails, to be retried, and nothing else is held.
    jobs = await Jobs.watch(database)
    await sealed_deposit(client)
    await run_notifying(jobs, ("events.dispatch", "notifications.fan_out"))
    [(_, _, args)] = await jobs.pending("notifications.send_push")
    with pytest.raises(PushServiceBusy):
        await job_app.tasks["notifications.send_push"].func(**args)
    inbox = await gql(client, "{ unreadNotificationCount }")
    assert inbox["unreadNotificationCount"] >= 2


async def _fan_outs(jobs: Jobs) -> list[tuple[int, str, dict[str, Any]]]:
    async with jobs.database.unit_of_work() as session:
        rows = await session.execute(
            text(
                "SELECT id, task_name, args FROM procrastinate_jobs WHERE id > :a "
                "AND task_name = 'notifications.fan_out' ORDER BY id"
            ),
            {"a": jobs.after_id},
        )
        return [(r.id, r.task_name, r.args) for r in rows]


async def test_malformed_subscriptions_are_refused_and_a_browser_changes_hands(
    database: Database, client_factory: Factory
) -> None:
    client, _ = await _person(database, client_factory)
    async with running_push_service() as service:
        browser = service.browser()
        good = browser.subscription()
        cases = [
            ({**good, "endpoint": "ftp://push.example/x"}, "endpoint"),
            ({**good, "p256dh": "AAAA"}, "p256dh"),
            ({**good, "p256dh": b64(b"\x04" + bytes(64))}, "p256dh"),  # not on the curve
            ({**good, "auth": "c2hvcnQ"}, "auth"),
        ]
        for sub, field in cases:
            refused = (
                await gql(
                    client, REGISTER, {"e": sub["endpoint"], "p": sub["p256dh"], "a": sub["auth"]}
                )
            )["registerPushSubscription"]
            assert refused["__typename"] == "InvalidInput", refused
            assert refused["field"] == field
            assert refused["message"].startswith("Abonnement push invalide")
        assert (await gql(client, DEVICES))["pushDevices"] == []

        await register_push(client, browser)
        other, _ = await _person(database, client_factory)
        moved = await register_push(other, browser)  # the same browser, someone else logged in
        assert moved["__typename"] == "PushSubscriptionPayload"
        assert (await gql(client, DEVICES))["pushDevices"] == []
        assert len((await gql(other, DEVICES))["pushDevices"]) == 1
        removed = await gql(
            other,
            "mutation($e: String!) { removePushSubscription(endpoint: $e) { __typename "
            "... on PushSubscriptionRemoved { removed } } }",
            {"e": good["endpoint"]},
        )
        assert removed["removePushSubscription"]["removed"] is True

    anonymous = client_factory()
    refused = await gql(anonymous, REGISTER, {"e": "x", "p": "y", "a": "z"})
    assert refused["registerPushSubscription"]["__typename"] == "NotAuthenticated"
