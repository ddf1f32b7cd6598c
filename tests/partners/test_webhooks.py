"""Outbound webhooks delivered to a local HTTP receiver that verifies every signature itself."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from tests.bailiffs.helpers import ACCEPT, CLAIM, choose_office, make_office, sealed_deposit, submit
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.partners.helpers import bearer, register_client, token_for
from tests.partners.receiver import running_receiver, verify
from tests.partners.webhook_jobs import CREATE_ENDPOINT, webhook_queue

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.webhooks.addresses import InvalidEndpointUrl, check_url
from probant_platform.webhooks.delivery import deliver
from probant_platform.webhooks.schedule import MAX_ATTEMPTS

Factory = Callable[[], httpx.AsyncClient]
ENDPOINTS = """{ webhookEndpoints { id enabled disabledReason deliveries(first: 5) {
  id eventType status attempts nextAttemptAt
  log { attempt responseStatus latencyMs error succeeded } } } }"""


async def _owner(database: Database, client_factory: Factory) -> tuple[httpx.AsyncClient, Any]:
    owner = await make_organisation(database, name="Cabinet Webhooks")
    await fund(database, owner.organisation_id, 10)
    admin = client_factory()
    await log_in(admin, owner)
    return admin, owner


async def _endpoint(
    admin: httpx.AsyncClient, url: str, events: list[str] | None = None
) -> tuple[str, str]:
    made = (await gql(admin, CREATE_ENDPOINT, {"u": url, "e": events or ["deposit.sealed"]}))[
        "createWebhookEndpoint"
    ]
    assert made["__typename"] == "WebhookEndpointSecret", made
    return made["endpoint"]["id"], made["secret"]


async def _log(admin: httpx.AsyncClient) -> dict[str, Any]:
    endpoint: dict[str, Any] = (await gql(admin, ENDPOINTS))["webhookEndpoints"][0]
    return endpoint


def _delivered_count() -> float:
    sample = REGISTRY.get_sample_value("probant_webhook_deliveries_total", {"outcome": "delivered"})
    return sample or 0.0


async def test_a_sealed_deposit_reaches_the_endpoint_signed_with_ids_only(
    database: Database, client_factory: Factory
) -> None:
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    delivered_before = _delivered_count()
    async with running_receiver() as receiver:
        _, secret = await _endpoint(admin, receiver.url)
        deposit = await sealed_deposit(admin)
        assert await queue.run_once() == 1  # dispatch
        assert await queue.run_once() == 1  # delivery
    assert _delivered_count() == delivered_before + 1  # what /metrics reports
    [message] = receiver.received
    assert verify(secret, message.headers, message.body)
    assert not verify("whsec_" + "A" * 32, message.headers, message.body)
    payload = message.json()
    assert payload["type"] == "deposit.sealed" and payload["version"] == 1
    assert payload["data"] == {"deposit_id": deposit["id"], "reference": deposit["reference"]}
    assert message.headers["webhook-id"].startswith("msg_")
    log = await _log(admin)
    [delivery] = log["deliveries"]
    assert delivery["status"] == "SUCCEEDED" and delivery["eventType"] == "deposit.sealed"
    assert delivery["log"][0]["responseStatus"] == 200
    assert delivery["log"][0]["latencyMs"] is not None


async def test_unsubscribed_events_are_not_sent(
    database: Database, client_factory: Factory
) -> None:
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        await _endpoint(admin, receiver.url, ["submission.accepted"])
        await sealed_deposit(admin)
        await queue.run_once()
        assert await queue.run_once() == 0
    assert receiver.received == []


async def test_a_500_and_a_timeout_are_retried_with_back_off(
    database: Database, client_factory: Factory, settings: Settings
) -> None:
    admin, owner = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    impatient = settings.model_copy(update={"webhook_timeout_seconds": 0.3})
    async with running_receiver() as receiver:
        _, secret = await _endpoint(admin, receiver.url)
        await sealed_deposit(admin)
        await queue.run_once()
        receiver.plan(500)
        receiver.plan(200, delay=1.0)
        await queue.run_once()
        first = (await _log(admin))["deliveries"][0]
        assert first["status"] == "PENDING" and first["attempts"] == 1
        assert first["nextAttemptAt"]  # about 5 s later
        delivery_id = uuid.UUID(first["id"])
        await deliver(
            database=database,
            settings=impatient,
            organisation_id=owner.organisation_id,
            delivery_id=delivery_id,
        )
        await queue.run_once()  # the retry scheduled after the timeout
    log = (await _log(admin))["deliveries"][0]
    assert [a["responseStatus"] for a in log["log"]] == [500, None, 200]
    assert log["log"][1]["error"] == "timeout"
    assert log["status"] == "SUCCEEDED"
    ids = {m.headers["webhook-id"] for m in receiver.received}
    assert len(ids) == 1  # the same message each time, so receivers can deduplicate
    assert all(verify(secret, m.headers, m.body) for m in receiver.received)


async def test_a_delivery_can_be_replayed_and_a_test_event_sent(
    database: Database, client_factory: Factory
) -> None:
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        endpoint_id, secret = await _endpoint(admin, receiver.url)
        sent = await gql(
            admin,
            "mutation($i: ID!) { sendTestWebhook(id: $i) { __typename "
            "... on WebhookDeliveryPayload { deliveryId } } }",
            {"i": endpoint_id},
        )
        delivery_id = sent["sendTestWebhook"]["deliveryId"]
        await queue.run_once()
        replayed = await gql(
            admin,
            "mutation($i: ID!) { replayWebhookDelivery(id: $i) { __typename } }",
            {"i": delivery_id},
        )
        assert replayed["replayWebhookDelivery"]["__typename"] == "WebhookDeliveryPayload"
        await queue.run_once()
    assert [m.json()["type"] for m in receiver.received] == ["webhook.test", "webhook.test"]
    assert receiver.received[0].body == receiver.received[1].body
    assert all(verify(secret, m.headers, m.body) for m in receiver.received)
    [delivery] = (await _log(admin))["deliveries"]
    assert delivery["status"] == "SUCCEEDED" and delivery["attempts"] == 1


async def test_an_endpoint_that_keeps_failing_is_disabled_and_admins_are_told(
    database: Database, client_factory: Factory
) -> None:
    admin, owner = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        await _endpoint(admin, receiver.url)
        await sealed_deposit(admin)
        await queue.run_once()
        for _ in range(MAX_ATTEMPTS):
            receiver.plan(503)
            assert await queue.run_once() == 1
        assert await queue.run_once() == 0  # no attempt after the last
    endpoint = await _log(admin)
    assert endpoint["enabled"] is False and "HTTP 503" in endpoint["disabledReason"]
    assert endpoint["deliveries"][0]["status"] == "FAILED"
    assert len(endpoint["deliveries"][0]["log"]) == MAX_ATTEMPTS
    async with database.unit_of_work() as session:
        emails = (
            (
                await session.execute(
                    text(
                        "SELECT args FROM procrastinate_jobs WHERE id > :a "
                        "AND task_name = 'notifications.send_email' "
                        "AND args->>'template' = 'webhook_disabled'"
                    ),
                    {"a": queue.after},
                )
            )
            .scalars()
            .all()
        )
    assert [e["to"] for e in emails] == [owner.email]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.20.30.40/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00::1]/hook",
        "http://192.168.1.1:8080/hook",
        "http://0.0.0.0/hook",
    ],
)
async def test_private_addresses_are_never_contacted(
    database: Database, client_factory: Factory, url: str
) -> None:
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    await _endpoint(admin, url)
    await sealed_deposit(admin)
    await queue.run_once()
    await queue.run_once()
    [attempt] = (await _log(admin))["deliveries"][0]["log"]
    assert attempt["responseStatus"] is None and "non-public address" in attempt["error"]


async def test_a_name_resolving_to_loopback_is_refused_outside_development(
    database: Database, client_factory: Factory, settings: Settings
) -> None:
    admin, owner = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    strict = settings.model_copy(update={"webhooks_allow_loopback": False})
    async with running_receiver() as receiver:
        await _endpoint(admin, f"http://localhost:{receiver.port}/hook")
        await sealed_deposit(admin)
        await queue.run_once()
        [(_, _, args)] = await queue.pending()
        await deliver(
            database=database,
            settings=strict,
            organisation_id=owner.organisation_id,
            delivery_id=uuid.UUID(args["delivery_id"]),
        )
    assert receiver.received == []
    attempt = (await _log(admin))["deliveries"][0]["log"][0]
    assert "localhost resolves to a non-public address" in attempt["error"]


async def test_redirects_are_not_followed(database: Database, client_factory: Factory) -> None:
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        receiver.plan(302, headers={"location": "http://169.254.169.254/latest/meta-data"})
        await _endpoint(admin, receiver.url)
        await sealed_deposit(admin)
        await queue.run_once()
        await queue.run_once()
    assert len(receiver.received) == 1
    attempt = (await _log(admin))["deliveries"][0]["log"][0]
    assert attempt["responseStatus"] == 302 and attempt["error"] == "redirect not followed"
    assert attempt["succeeded"] is False


def test_production_requires_https(settings: Settings) -> None:
    with pytest.raises(InvalidEndpointUrl):
        check_url("http://hooks.example.com/probant", require_https=True)
    assert check_url("https://hooks.example.com/probant", require_https=True)


async def test_bad_endpoints_and_events_are_typed_errors(
    database: Database, client_factory: Factory
) -> None:
    admin, _ = await _owner(database, client_factory)
    for url, events, field in (
        ("ftp://example.com/x", ["deposit.sealed"], "url"),
        ("https://example.com/x", ["deposit.deleted"], "events"),
        ("https://example.com/x", [], "events"),
    ):
        made = (await gql(admin, CREATE_ENDPOINT, {"u": url, "e": events}))["createWebhookEndpoint"]
        assert made["__typename"] == "InvalidInput" and made["field"] == field, made


async def test_the_partner_flow_ends_with_a_signed_submission_accepted(
    database: Database, client_factory: Factory
) -> None:
    """The docs' example: a partner token seals and submits; the office accepts; the
    organisation's endpoint is told, with the ids the partner can query."""
    office = await make_office(database, name="Étude Durand")
    admin, _ = await _owner(database, client_factory)
    credentials = await register_client(
        admin, ["deposits:read", "deposits:write", "bailiffs:submit", "webhooks:manage"]
    )
    partner = bearer(client_factory(), await token_for(client_factory(), credentials))
    clerk = client_factory()
    await log_in(clerk, office.clerk)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        _, secret = await _endpoint(partner, receiver.url, ["submission.accepted"])
        deposit = await sealed_deposit(partner)
        await choose_office(admin, office.node_id)
        submission = (await submit(partner, deposit["id"]))["submission"]
        await gql(clerk, CLAIM, {"s": submission["id"]})
        decided = await gql(clerk, ACCEPT, {"s": submission["id"]})
        assert decided["acceptDeposit"]["submission"]["status"] == "ACCEPTED"
        while await queue.run_once():
            pass
    [message] = receiver.received
    assert verify(secret, message.headers, message.body)
    event = message.json()
    assert event["type"] == "submission.accepted"
    assert event["data"]["submission_id"] == submission["id"]
    assert event["data"]["deposit_id"] == deposit["id"]
    assert event["data"]["office_id"] == office.node_id
    found = await gql(
        partner,
        "query($id: ID!) { node(id: $id) { ... on Submission { status } } }",
        {"id": event["data"]["submission_id"]},
    )
    assert found["node"]["status"] == "ACCEPTED"


async def test_the_checked_address_is_the_one_contacted_when_dns_answers_change(
    database: Database, client_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolves to an allowed address, then to a private one (DNS rebinding):
    the request goes to the address checked, and the next delivery is refused."""
    answers = ["127.0.0.1", "10.0.0.7"]
    loop = asyncio.get_running_loop()
    system = loop.getaddrinfo

    async def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "hooks.rebind.test":
            return await system(host, port, *args, **kwargs)
        address = answers.pop(0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(loop, "getaddrinfo", rebinding)
    admin, _ = await _owner(database, client_factory)
    queue = await webhook_queue(database)
    async with running_receiver() as receiver:
        endpoint_id, _ = await _endpoint(admin, f"http://hooks.rebind.test:{receiver.port}/h")
        await sealed_deposit(admin)
        await queue.run_once()
        await queue.run_once()
        assert len(receiver.received) == 1  # reached through the checked 127.0.0.1
        assert receiver.received[0].headers["host"] == f"hooks.rebind.test:{receiver.port}"
        await gql(
            admin,
            "mutation($i: ID!) { sendTestWebhook(id: $i) { __typename } }",
            {"i": endpoint_id},
        )
        await queue.run_once()
    assert len(receiver.received) == 1
    test_delivery = (await _log(admin))["deliveries"][0]
    assert "non-public address" in test_delivery["log"][0]["error"]
