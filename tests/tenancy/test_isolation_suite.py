# ruff: noqa: E501  (the probe table keeps each GraphQL operation on one line)
"""Tenant isolation, generated from the schema.

Every root Query and Mutation field and every Node type of the live schema must be listed
below with how it is scoped; a field added later fails `test_every_field_is_classified` until
someone classifies it here (and, if it reaches objects by id, adds a probe).

Given organisation A (an owner with credits, a sealed deposit with an item, a collaborator with
a draft of their own, widget and API keys) and organisation B (an owner), B must not read or
change anything of A — by `node(id:)`, by connection, or by passing A's ids to a mutation —
and A's collaborator must not see a colleague's deposits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from strawberry.relay import to_base64
from tests.evidence.capture_flow import capture_one, fill, seal, start
from tests.factories import Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_graphql.schema import schema
from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg

# How each root field is scoped. "probe" fields are exercised with A's ids by B below.
QUERY_FIELDS = {
    "apiVersion": "public: no tenant data",
    "catalogue": "public to members: no tenant data",
    "node": "probe: every Node type, see NODE_TYPES",
    "viewer": "probe: the caller's own identity",
    "organisation": "probe: the caller's own organisation",
    "creditBalance": "probe: the caller's own wallet",
    "ledgerEntries": "probe: the caller's own wallet",
    "ledgerEntriesCsv": "probe: the caller's own wallet",
    "depositQuoteFor": "probe: the caller's own wallet, no object argument",
    "depositQuote": "probe: a deposit id",
    "deposits": "probe: connection",
    "widgetKeys": "probe: list",
    "apiKeys": "probe: list",
    "auditLog": "probe: connection",
    "organisations": "probe: operators only",
    "billingSubscription": "probe: the caller's own organisation",
    "purchases": "probe: connection",
    "catalogueProducts": "operators only: the platform catalogue, no tenant data",
}
MUTATION_FIELDS = {
    "signUp": "no target: creates a new organisation",
    "verifyEmail": "no target: a secret token",
    "logIn": "no target: credentials",
    "logOut": "no target: the caller's own session",
    "changePassword": "no target: the caller's own password",
    "deleteAccount": "no target: the caller's own account",
    "requestPasswordReset": "no target: an email address, same answer for any",
    "resetPassword": "no target: a secret token",
    "inviteMember": "no target: into the caller's organisation",
    "activateAccount": "no target: a secret code",
    "createBailiffOffice": "operators only: creates a new organisation",
    "updateNotificationPreferences": "no target: the caller's own preferences",
    "updateOrganisationProfile": "probe: the caller's organisation only",
    "startCapture": "no target: opens a session for the caller",
    "createWidgetKey": "no target: in the caller's organisation",
    "createApiKey": "no target: in the caller's organisation",
    "buyCredits": "no target: credits the caller's organisation",
    "updateCaptureSettings": "probe: the caller's organisation only",
    "transferCredits": "probe: a member id",
    "reclaimCredits": "probe: a member id",
    "adjustCredits": "probe: operators only",
    "subscribe": "no target: subscribes the caller's organisation",
    "billingPortalUrl": "no target: the caller's organisation's own customer",
    "updateCatalogueProduct": "operators only: the platform catalogue",
    "setPriceOverride": "probe: operators only",
    "stageUpload": "probe: a capture session id",
    "updateDeposit": "probe: a deposit id",
    "deleteItem": "probe: an item id",
    "deleteDeposit": "probe: a deposit id",
    "sealDeposit": "probe: a deposit id",
    "revokeKey": "probe: a key id",
    "updateMemberRole": "probe: a member id",
    "removeMember": "probe: a member id",
    "transferOwnership": "probe: a member id",
}
NODE_TYPES = {"Organisation", "Member", "Deposit", "EvidenceItem", "AuditEvent"}
UNREACHABLE_BY_NODE = {"AuditEvent"}  # resolve_nodes returns null for everyone


def _root_fields(type_name: str) -> set[str]:
    graphql_type = schema._schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    return set(graphql_type.fields)


def test_every_field_is_classified() -> None:
    node_types = {
        name
        for name, t in schema._schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    }
    assert _root_fields("Query") == set(QUERY_FIELDS), "classify new Query fields in this file"
    assert _root_fields("Mutation") == set(MUTATION_FIELDS), "classify new mutations in this file"
    assert node_types == NODE_TYPES, "add a factory for new Node types in this file"


@dataclass
class World:
    a_owner: httpx.AsyncClient
    a_colleague: httpx.AsyncClient
    b_owner: httpx.AsyncClient
    ids: dict[str, str]


@pytest.fixture
async def world(database: Database, client_factory: Callable[[], httpx.AsyncClient]) -> World:
    a = await make_organisation(database)
    a_collab = await add_member(database, a, role=Role.COLLABORATOR)
    a_other = await add_member(database, a, role=Role.COLLABORATOR)
    b = await make_organisation(database)
    await fund(database, a.organisation_id, 5)
    await fund(database, a.organisation_id, 2, membership_id=a_other.membership_id)
    clients = {name: client_factory() for name in ("a", "collab", "other", "b")}
    for name, member in (("a", a), ("collab", a_collab), ("other", a_other), ("b", b)):
        await log_in(clients[name], member)
    session = (await start(clients["a"]))["captureSession"]
    item = (await capture_one(clients["a"], session["id"], photo_jpeg(seed=1))).json()["item"]
    await fill(clients["a"], session["deposit"]["id"])
    await seal(clients["a"], session["deposit"]["id"])
    draft = (await start(clients["a"]))["captureSession"]
    colleague_session = (await start(clients["other"]))["captureSession"]
    colleague_item = (
        await capture_one(clients["other"], colleague_session["id"], photo_jpeg(seed=2))
    ).json()["item"]
    keys = await gql(
        clients["a"],
        'mutation { createApiKey(name: "k") { ... on ApiKeyCreated { apiKey { id } } } }',
    )
    return World(
        a_owner=clients["a"],
        a_colleague=clients["collab"],
        b_owner=clients["b"],
        ids={
            "Organisation": to_base64("Organisation", str(a.organisation_id)),
            "Member": to_base64("Member", str(a_collab.membership_id)),
            "Deposit": session["deposit"]["id"],
            "EvidenceItem": item["id"],
            "draft": draft["deposit"]["id"],
            "draft_session": draft["id"],
            "colleague_deposit": colleague_session["deposit"]["id"],
            "colleague_item": colleague_item["id"],
            "api_key": keys["createApiKey"]["apiKey"]["id"],
        },
    )


NODE = "query($id: ID!) { node(id: $id) { id } }"


async def test_nodes_of_another_organisation_are_invisible(world: World) -> None:
    for type_name in sorted(NODE_TYPES - UNREACHABLE_BY_NODE):
        found = await gql(world.b_owner, NODE, {"id": world.ids[type_name]})
        assert found["node"] is None, type_name
        assert (await gql(world.a_owner, NODE, {"id": world.ids[type_name]}))["node"], type_name


async def test_a_collaborator_does_not_see_a_colleagues_objects(world: World) -> None:
    for key in ("colleague_deposit", "colleague_item", "Deposit", "EvidenceItem"):
        assert (await gql(world.a_colleague, NODE, {"id": world.ids[key]}))["node"] is None, key
    listed = await gql(world.a_colleague, "{ deposits { edges { node { id } } } }")
    assert listed["deposits"]["edges"] == []


async def test_query_fields_show_nothing_of_another_organisation(world: World) -> None:
    b = world.b_owner
    viewer = await gql(b, "{ viewer { organisation { id } } organisation { id } creditBalance }")
    assert viewer["viewer"]["organisation"]["id"] != world.ids["Organisation"]
    assert viewer["organisation"]["id"] != world.ids["Organisation"]
    assert viewer["creditBalance"] == 0
    history = await gql(b, "{ ledgerEntries { edges { node { amount } } } ledgerEntriesCsv }")
    assert history["ledgerEntries"]["edges"] == []
    assert history["ledgerEntriesCsv"].strip().splitlines() == [
        "date,kind,amount,balance,reference,reason"
    ]
    assert (await gql(b, "{ depositQuoteFor(photos: 1) { balance } }"))["depositQuoteFor"][
        "balance"
    ] == 0
    quote = await gql(
        b, "query($d: ID!) { depositQuote(depositId: $d) { credits } }", {"d": world.ids["Deposit"]}
    )
    assert quote["depositQuote"] is None
    assert (await gql(b, "{ deposits { edges { node { id } } } }"))["deposits"]["edges"] == []
    billing = await gql(b, "{ billingSubscription { planId } purchases { edges { node { id } } } }")
    assert billing == {"billingSubscription": None, "purchases": {"edges": []}}
    assert (await gql(b, "{ widgetKeys { id } apiKeys { id } }")) == {
        "widgetKeys": [],
        "apiKeys": [],
    }


Probe = Callable[[World], Awaitable[dict[str, Any]]]

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
    "setPriceOverride": (
        'mutation($v: ID!) { r: setPriceOverride(organisationId: $v, productId: "pack-6", priceTtcCents: 1) { __typename } }',
        lambda w: {"v": w.ids["Organisation"]},
    ),
    "stageUpload": (
        'mutation($v: ID!) { r: stageUpload(input: {captureSessionId: $v, sha256: "'
        + "a" * 64
        + '", size: 10, contentType: "image/jpeg", capturedAt: "2026-11-22T10:00:00Z", noLocationReason: "TIMEOUT"}) { __typename } }',
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
}
MUTATION_PROBES.update(
    {
        name: (
            f"mutation($v: ID!) {{ r: {call} {{ __typename }} }}",
            lambda w: {"v": w.ids["Member"]},
        )
        for name, call in {
            "updateMemberRole": "updateMemberRole(memberId: $v, role: ADMIN)",
            "removeMember": "removeMember(memberId: $v)",
            "transferOwnership": "transferOwnership(memberId: $v)",
        }.items()
    }
)
REFUSALS = {"NotFound", "NotAllowed", "CaptureSessionExpired", "NotAuthenticated"}


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
async def test_mutations_cannot_reach_another_organisations_objects(
    world: World, field: str
) -> None:
    query, variables = MUTATION_PROBES[field]
    result = await gql(world.b_owner, query, variables(world))
    assert result["r"]["__typename"] in REFUSALS, (field, result)
    # and A's objects are as they were
    seen = await gql(
        world.a_owner,
        "{ deposits { edges { node { title status } } } apiKeys { revokedAt } creditBalance }",
    )
    assert sorted(e["node"]["status"] for e in seen["deposits"]["edges"]) == [
        "DRAFT",
        "DRAFT",
        "SEALED",
    ]  # the owner sees the organisation's deposits: theirs and the colleague's draft
    assert all(e["node"]["title"] != "pwned" for e in seen["deposits"]["edges"])
    assert seen["apiKeys"][0]["revokedAt"] is None
    assert seen["creditBalance"] == 4


def test_every_probed_mutation_is_classified_as_probe() -> None:
    probed = {name for name, how in MUTATION_FIELDS.items() if how.startswith("probe")}
    own_organisation = {"updateCaptureSettings", "updateOrganisationProfile"}
    assert probed - own_organisation == set(MUTATION_PROBES)


async def test_capture_settings_change_only_the_callers_organisation(world: World) -> None:
    await gql(
        world.b_owner, "mutation { updateCaptureSettings(locationRequired: true) { __typename } }"
    )
    mine = await gql(world.a_owner, "{ organisation { captureLocationRequired } }")
    assert mine["organisation"]["captureLocationRequired"] is False
