# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The isolation suites' world: organisation A with something of every kind, B, offices X and Y.

A has an owner with credits, a sealed deposit with an item, a collaborator with a draft of
their own, widget and API keys; it submits a deposit to office X, pays a PV order to X and asks
X for an on-site constat. B is an owner with nothing; Y is an office nothing was sent to.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from strawberry.relay import to_base64
from tests.bailiffs.helpers import IDENTITY, LYON, make_office, sealed_deposit, submit
from tests.evidence.capture_flow import capture_one, fill, seal, stage, start
from tests.factories import Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.bailiffs import payment
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.media.samples import photo_jpeg


@dataclass
class World:
    a_owner: httpx.AsyncClient
    a_colleague: httpx.AsyncClient
    b_owner: httpx.AsyncClient
    x_clerk: httpx.AsyncClient
    y_clerk: httpx.AsyncClient
    ids: dict[str, str]
    uuids: dict[str, uuid.UUID]


async def build_world(database: Database, client_factory: Callable[[], httpx.AsyncClient]) -> World:
    a = await make_organisation(database)
    a_collab = await add_member(database, a, role=Role.COLLABORATOR)
    a_other = await add_member(database, a, role=Role.COLLABORATOR)
    b = await make_organisation(database)
    await fund(database, a.organisation_id, 6)
    await fund(database, a.organisation_id, 2, membership_id=a_other.membership_id)
    x = await make_office(database, name="Étude X")
    y = await make_office(database, name="Étude Y", city="Lyon", postcode="69002", at=LYON)
    clients = {name: client_factory() for name in ("a", "collab", "other", "b", "x", "y")}
    for name, member in (
        ("a", a),
        ("collab", a_collab),
        ("other", a_other),
        ("b", b),
        ("x", x.clerk),
        ("y", y.clerk),
    ):
        await log_in(clients[name], member)
    session = (await start(clients["a"]))["captureSession"]
    item = (await capture_one(clients["a"], session["id"], photo_jpeg(seed=1))).json()["item"]
    await fill(clients["a"], session["deposit"]["id"])
    await seal(clients["a"], session["deposit"]["id"])
    draft = (await start(clients["a"]))["captureSession"]
    # A draft exists from its first item on (staged here, its bytes never sent).
    assert (await stage(clients["a"], draft["id"], photo_jpeg(seed=3)))["__typename"] == (
        "StagedUpload"
    )
    colleague_session = (await start(clients["other"]))["captureSession"]
    colleague_item = (
        await capture_one(clients["other"], colleague_session["id"], photo_jpeg(seed=2))
    ).json()["item"]
    keys = await gql(
        clients["a"],
        'mutation { createApiKey(name: "k") { ... on ApiKeyCreated { apiKey { id } } } }',
    )
    api_client = await gql(
        clients["a"],
        'mutation { createApiClient(name: "c", scopes: ["deposits:read"]) { ... on ApiClientSecret { apiClient { id } } } }',
    )
    hook = await gql(
        clients["a"],
        'mutation { createWebhookEndpoint(url: "https://hooks.example.com/a", events: ["deposit.sealed"]) { ... on WebhookEndpointSecret { endpoint { id } } } }',
    )
    hook_id = hook["createWebhookEndpoint"]["endpoint"]["id"]
    test_delivery = await gql(
        clients["a"],
        "mutation($i: ID!) { sendTestWebhook(id: $i) { ... on WebhookDeliveryPayload { deliveryId } } }",
        {"i": hook_id},
    )
    sent = await sealed_deposit(clients["a"])
    submission = (await submit(clients["a"], sent["id"], x.node_id))["submission"]
    ordered = await sealed_deposit(clients["a"])
    order = (
        await gql(
            clients["a"],
            "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { ... on ConstatOrderPayload { order { id } } } }",
            {"i": {"depositId": ordered["id"], "requester": IDENTITY, "expose": "Exposé."}},
        )
    )["orderConstat"]["order"]
    async with database.unit_of_work(TenantScope(organisation_id=a.organisation_id)) as s:
        await payment.on_payment_completed(
            session=s, purpose_id=_uuid(order["id"]), payment_reference="test"
        )
    onsite = (
        await gql(
            clients["a"],
            'mutation($o: ID!) { requestOnSiteConstat(officeId: $o, address: {street: "1 rue A", postcode: "75001", city: "Paris"}, description: "Constat") { ... on OnSiteRequestPayload { request { id } } } }',
            {"o": x.node_id},
        )
    )["requestOnSiteConstat"]["request"]
    return World(
        a_owner=clients["a"],
        a_colleague=clients["collab"],
        b_owner=clients["b"],
        x_clerk=clients["x"],
        y_clerk=clients["y"],
        uuids={
            "a": a.organisation_id,
            "x": x.office_id,
            "y": y.office_id,
            "sent": _uuid(sent["id"]),
            "ordered": _uuid(ordered["id"]),
            "Deposit": _uuid(session["deposit"]["id"]),
        },
        ids={
            "BailiffOffice": x.node_id,
            "Submission": submission["id"],
            "ConstatOrder": order["id"],
            "OnSiteRequest": onsite["id"],
            "sent": sent["id"],
            "sent_item": sent["items"][0],
            "Organisation": to_base64("Organisation", str(a.organisation_id)),
            "Member": to_base64("Member", str(a_collab.membership_id)),
            "Deposit": session["deposit"]["id"],
            "EvidenceItem": item["id"],
            "draft": draft["deposit"]["id"],
            "draft_session": draft["id"],
            "colleague_deposit": colleague_session["deposit"]["id"],
            "colleague_item": colleague_item["id"],
            "api_key": keys["createApiKey"]["apiKey"]["id"],
            "api_client": api_client["createApiClient"]["apiClient"]["id"],
            "webhook_endpoint": hook_id,
            "webhook_delivery": test_delivery["sendTestWebhook"]["deliveryId"],
        },
    )


def _uuid(global_id: str) -> uuid.UUID:
    return uuid.UUID(base64.b64decode(global_id).decode().split(":", 1)[1])


CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


NODE_TYPES = {
    "Organisation",
    "Member",
    "Deposit",
    "EvidenceItem",
    "AuditEvent",
    "BailiffOffice",
    "Submission",
    "ConstatOrder",
    "OnSiteRequest",
    "OfficeProposal",
    "PlatformAuditEvent",
    "Notification",
}


# resolve_nodes returns null for everyone
UNREACHABLE_BY_NODE = {"AuditEvent", "OfficeProposal", "PlatformAuditEvent", "Notification"}


PUBLIC_NODES = {"BailiffOffice"}  # the directory: every member sees every office


NODE = "query($id: ID!) { node(id: $id) { id } }"


MUTATION_PROBES: dict[str, tuple[str, Callable[[World], dict[str, Any]]]] = {
    "transferCredits": (
        'mutation($v: ID!) { r: transferCredits(memberId: $v, amount: 1, idempotencyKey: "x") { __typename } }',
        lambda w: {"v": w.ids["Member"]},
    ),
    "reclaimCredits": (
        'mutation($v: ID!) { r: reclaimCredits(memberId: $v, amount: 1, idempotencyKey: "y") { __typename } }',
        lambda w: {"v": w.ids["Member"]},
    ),
    "adjustCredits": (
        'mutation($v: ID!) { r: adjustCredits(organisationId: $v, amount: 5, reason: "x", idempotencyKey: "z") { __typename } }',
        lambda w: {"v": w.ids["Organisation"]},
    ),
    "stageUpload": (
        'mutation($v: ID!) { r: stageUpload(input: {captureSessionId: $v, sha256: "'
        + "a" * 64
        + '", size: 10, contentType: "image/jpeg", capturedAt: "2026-11-22T10:00:00Z", noLocationReason: "TIMEOUT"}) { __typename } }',
        lambda w: {"v": w.ids["draft_session"]},
    ),
    "stageUploads": (
        'mutation($v: ID!) { r: stageUploads(input: {captureSessionId: $v, items: [{sha256: "'
        + "a" * 64
        + '", size: 10, contentType: "image/jpeg", capturedAt: "2026-11-22T10:00:00Z", noLocationReason: "TIMEOUT"}]}) { __typename } }',
        lambda w: {"v": w.ids["draft_session"]},
    ),
    "updateDeposit": (
        'mutation($v: ID!) { r: updateDeposit(input: {depositId: $v, title: "pwned"}) { __typename } }',
        lambda w: {"v": w.ids["draft"]},
    ),
    "deleteItem": (
        "mutation($v: ID!) { r: deleteItem(itemId: $v) { __typename } }",
        lambda w: {"v": w.ids["EvidenceItem"]},
    ),
    "deleteDeposit": (
        "mutation($v: ID!) { r: deleteDeposit(depositId: $v) { __typename } }",
        lambda w: {"v": w.ids["Deposit"]},
    ),
    "sealDeposit": (
        'mutation($v: ID!) { r: sealDeposit(input: {depositId: $v, signature: {fullName: "X"}, confirmCredits: 1}) { __typename } }',
        lambda w: {"v": w.ids["draft"]},
    ),
    "revokeKey": (
        "mutation($v: ID!) { r: revokeKey(id: $v) { __typename } }",
        lambda w: {"v": w.ids["api_key"]},
    ),
    "rotateApiClientSecret": (
        "mutation($v: ID!) { r: rotateApiClientSecret(id: $v) { __typename } }",
        lambda w: {"v": w.ids["api_client"]},
    ),
    "revokeApiClient": (
        "mutation($v: ID!) { r: revokeApiClient(id: $v) { __typename } }",
        lambda w: {"v": w.ids["api_client"]},
    ),
    "updateWebhookEndpoint": (
        'mutation($v: ID!) { r: updateWebhookEndpoint(id: $v, events: ["credits.low"]) { __typename } }',
        lambda w: {"v": w.ids["webhook_endpoint"]},
    ),
    "disableWebhookEndpoint": (
        "mutation($v: ID!) { r: disableWebhookEndpoint(id: $v) { __typename } }",
        lambda w: {"v": w.ids["webhook_endpoint"]},
    ),
    "rotateWebhookEndpointSecret": (
        "mutation($v: ID!) { r: rotateWebhookEndpointSecret(id: $v) { __typename } }",
        lambda w: {"v": w.ids["webhook_endpoint"]},
    ),
    "sendTestWebhook": (
        "mutation($v: ID!) { r: sendTestWebhook(id: $v) { __typename } }",
        lambda w: {"v": w.ids["webhook_endpoint"]},
    ),
    "replayWebhookDelivery": (
        "mutation($v: ID!) { r: replayWebhookDelivery(id: $v) { __typename } }",
        lambda w: {"v": w.ids["webhook_delivery"]},
    ),
}


REFUSALS = {"NotFound", "NotAllowed", "CaptureSessionExpired", "NotAuthenticated"}


async def a_is_untouched(world: World) -> None:
    # and A's objects are as they were
    seen = await gql(
        world.a_owner,
        "{ deposits { edges { node { title status } } } apiKeys { revokedAt } creditBalance "
        "apiClients { revokedAt secretRotatedAt } "
        "webhookEndpoints { enabled events deliveries { status attempts } } "
        "constatOrders { edges { node { status correctedExpose } } } "
        "onSiteRequests { edges { node { status } } } }",
    )
    assert sorted(e["node"]["status"] for e in seen["deposits"]["edges"]) == [
        "DRAFT",
        "DRAFT",
        "SEALED",
        "SEALED",
        "SUBMITTED",
    ]  # the owner sees the organisation's deposits: theirs and the colleague's draft
    assert all(e["node"]["title"] != "pwned" for e in seen["deposits"]["edges"])
    assert seen["apiKeys"][0]["revokedAt"] is None
    assert seen["apiClients"] == [{"revokedAt": None, "secretRotatedAt": None}]
    assert seen["webhookEndpoints"] == [
        {
            "enabled": True,
            "events": ["deposit.sealed"],
            "deliveries": [{"status": "PENDING", "attempts": 0}],
        }
    ]
    assert seen["creditBalance"] == 2
    assert [e["node"] for e in seen["constatOrders"]["edges"]] == [
        {"status": "AWAITING_VALIDATION", "correctedExpose": None}
    ]
    assert [e["node"]["status"] for e in seen["onSiteRequests"]["edges"]] == ["REQUESTED"]
    office = await gql(world.x_clerk, "{ reviewQueue { edges { node { status } } } }")
    assert [e["node"]["status"] for e in office["reviewQueue"]["edges"]] == ["SUBMITTED"]
