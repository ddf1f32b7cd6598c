# ruff: noqa: E501  (the probe table keeps each GraphQL operation on one line)
"""Tenant isolation, generated from the schema.

Every root Query and Mutation field and every Node type of the live schema must be listed
below with how it is scoped; a field added later fails `test_every_field_is_classified` until
someone classifies it here (and, if it reaches objects by id, adds a probe).

Given organisation A (an owner with credits, a sealed deposit with an item, a collaborator with
a draft of their own, widget and API keys) and organisation B (an owner), B must not read or
change anything of A — by `node(id:)`, by connection, or by passing A's ids to a mutation —
and A's collaborator must not see a colleague's deposits.

Offices too: A submits a second deposit to office X, pays a PV order to X and asks X for an
on-site constat. Office Y's clerk, like B, sees and changes none of it; X's clerk sees what
was addressed to X and nothing of A's unsubmitted deposits.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from graphql import GraphQLObjectType
from sqlalchemy import text
from tests.factories import gql, gql_raw
from tests.sqlstate import INSUFFICIENT_PRIVILEGE, refused
from tests.tenancy.isolation_world import (
    MUTATION_PROBES,
    NODE,
    NODE_TYPES,
    PUBLIC_NODES,
    REFUSALS,
    UNREACHABLE_BY_NODE,
    World,
    a_is_untouched,
)

from probant_graphql.schema import schema
from probant_platform.db import Database, TenantScope

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
    "depositCertificate": "probe: a deposit id",
    "deposits": "probe: connection",
    "widgetKeys": "probe: list",
    "apiKeys": "probe: list",
    "apiClients": "probe: list",
    "webhookEndpoints": "probe: list",
    "webhookEventTypes": "public: no tenant data",
    "queryAllowList": "probe: the caller's own organisation (tests/partners/test_persisted.py)",
    "auditLog": "probe: connection",
    "organisations": "probe: operators only",
    "organisationOverview": "operators only (tests/operator/test_operator_api.py)",
    "proposedOffices": "operators only (tests/operator/test_operator_api.py)",
    "operatorCatalogue": "operators only (tests/operator/test_operator_api.py)",
    "platformAuditLog": "operators only (tests/operator/test_operator_api.py)",
    "anchoringStatus": "operators only: no tenant data (tests/operator/test_operator_api.py)",
    "bailiffOffices": "public to members: the directory of offices",
    "reviewQueue": "probe: the caller's office only",
    "reviewFileChecks": "probe: a submission id",
    "constatTerms": "probe: a deposit id",
    "constatSpecimen": "probe: an order id",
    "constatOrders": "probe: connection",
    "onSiteRequests": "probe: connection",
    "subscription": "probe: the caller's own organisation (tests/billing/test_development.py)",
    "receipts": "probe: the caller's own organisation (tests/billing/test_development.py)",
    "notifications": "the caller's own, in their organisation (tests/notifications/test_inbox.py)",
    "unreadNotificationCount": "the caller's own count (tests/notifications/test_inbox.py)",
    "notificationChoices": "the caller's own preferences (tests/notifications)",
    "webPushPublicKey": "public to members: the server's VAPID key",
    "pushDevices": "the caller's own browsers (tests/notifications/test_push.py)",
}
MUTATION_FIELDS = {
    "signUp": "no target: creates a new organisation",
    "verifyEmail": "no target: a secret token",
    "logIn": "no target: credentials",
    "logOut": "no target: the caller's own session",
    "changePassword": "no target: the caller's own password",
    "updateMyProfile": "no target: the caller's own name and language",
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
    "createApiClient": "no target: in the caller's organisation",
    "rotateApiClientSecret": "probe: a client id",
    "createWebhookEndpoint": "no target: in the caller's organisation",
    "setQueryAllowList": "no target: the caller's organisation",
    "updateWebhookEndpoint": "probe: an endpoint id",
    "disableWebhookEndpoint": "probe: an endpoint id",
    "rotateWebhookEndpointSecret": "probe: an endpoint id",
    "sendTestWebhook": "probe: an endpoint id",
    "replayWebhookDelivery": "probe: a delivery id",
    "revokeApiClient": "probe: a client id",
    "buyCredits": "no target: credits the caller's organisation",
    "updateCaptureSettings": "probe: the caller's organisation only",
    "transferCredits": "probe: a member id",
    "reclaimCredits": "probe: a member id",
    "adjustCredits": "probe: operators only",
    "stageUpload": "probe: a capture session id",
    "stageUploads": "probe: a capture session id",
    "updateDeposit": "probe: a deposit id",
    "deleteItem": "probe: an item id",
    "deleteDeposit": "probe: a deposit id",
    "sealDeposit": "probe: a deposit id",
    "revokeKey": "probe: a key id",
    "updateMemberRole": "probe: a member id",
    "removeMember": "probe: a member id",
    "transferOwnership": "probe: a member id",
    "chooseBailiffOffice": "no target: the caller's organisation (office ids are public)",
    "proposeBailiffOffice": "no target: recorded for the caller's organisation",
    "requestOnSiteConstat": "no target: from the caller's organisation (office ids are public)",
    "updateBailiffOffice": "probe: an office id",
    "submitDeposit": "probe: a deposit id",
    "claimSubmission": "probe: a submission id",
    "unclaimSubmission": "probe: a submission id",
    "acceptDeposit": "probe: a submission id",
    "rejectDeposit": "probe: a submission id",
    "orderConstat": "probe: a deposit id",
    "payConstatOrder": "probe: an order id",
    "cancelConstatOrder": "probe: an order id",
    "validateConstat": "probe: an order id",
    "prepareConstat": "probe: an order id",
    "quoteOnSiteConstat": "probe: a request id",
    "refuseOnSiteConstat": "probe: a request id",
    "answerOnSiteQuote": "probe: a request id",
    "subscribe": "no target: subscribes the caller's organisation",
    "billingPortalUrl": "no target: the caller's organisation's customer",
    "updateCatalogueProduct": "operators only: the platform catalogue (tests/billing)",
    "setPriceOverride": "operators only (tests/billing/test_development.py)",
    "markNotificationRead": "another's id is NotFound (tests/notifications/test_inbox.py)",
    "markAllNotificationsRead": "no target: the caller's own notifications",
    "setNotificationPreference": "no target: the caller's own preferences",
    "registerPushSubscription": "no target: for the caller (tests/notifications/test_push.py)",
    "removePushSubscription": "no target: the caller's own browsers",
}


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


async def test_nodes_of_another_organisation_are_invisible(world: World) -> None:
    for type_name in sorted(NODE_TYPES - UNREACHABLE_BY_NODE - PUBLIC_NODES):
        for outsider in (world.b_owner, world.y_clerk):
            found = await gql(outsider, NODE, {"id": world.ids[type_name]})
            assert found["node"] is None, type_name
        assert (await gql(world.a_owner, NODE, {"id": world.ids[type_name]}))["node"], type_name
    for type_name in sorted(PUBLIC_NODES):
        assert (await gql(world.b_owner, NODE, {"id": world.ids[type_name]}))["node"], type_name


async def test_a_collaborator_does_not_see_a_colleagues_objects(world: World) -> None:
    for key in ("colleague_deposit", "colleague_item", "Deposit", "EvidenceItem"):
        assert (await gql(world.a_colleague, NODE, {"id": world.ids[key]}))["node"] is None, key
    listed = await gql(world.a_colleague, "{ deposits { edges { node { id } } } }")
    assert listed["deposits"]["edges"] == []


INTEGRITY = """query($id: ID!) { node(id: $id) { ... on Deposit {
  proofBundle exportUrl certificateUrl integrity { status } } } }"""


async def test_a_deposits_bundle_links_and_anchor_go_only_where_the_deposit_goes(
    world: World,
) -> None:
    own = (await gql(world.a_owner, INTEGRITY, {"id": world.ids["Deposit"]}))["node"]
    assert own["proofBundle"]["format"] == "probant-proof-bundle" and own["exportUrl"]
    for stranger in (world.b_owner, world.a_colleague):
        assert (await gql(stranger, INTEGRITY, {"id": world.ids["Deposit"]}))["node"] is None


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
    report = await gql(
        b,
        "query($d: ID!) { depositCertificate(depositId: $d) { status url } }",
        {"d": world.ids["Deposit"]},
    )
    assert report["depositCertificate"] is None
    assert (await gql(b, "{ deposits { edges { node { id } } } }"))["deposits"]["edges"] == []
    assert (
        await gql(
            b, "{ widgetKeys { id } apiKeys { id } apiClients { id } webhookEndpoints { id } }"
        )
    ) == {"widgetKeys": [], "apiKeys": [], "apiClients": [], "webhookEndpoints": []}


Probe = Callable[[World], Awaitable[dict[str, Any]]]

_S = "mutation($v: ID!) { r: %s { __typename } }"
MUTATION_PROBES.update(
    {
        "updateBailiffOffice": (
            _S % "updateBailiffOffice(officeId: $v, input: {acceptsDeposits: false})",
            lambda w: {"v": w.ids["BailiffOffice"]},
        ),
        "submitDeposit": (_S % "submitDeposit(depositId: $v)", lambda w: {"v": w.ids["Deposit"]}),
        "claimSubmission": (
            _S % "claimSubmission(submissionId: $v)",
            lambda w: {"v": w.ids["Submission"]},
        ),
        "unclaimSubmission": (
            _S % "unclaimSubmission(submissionId: $v)",
            lambda w: {"v": w.ids["Submission"]},
        ),
        "acceptDeposit": (
            _S % "acceptDeposit(submissionId: $v)",
            lambda w: {"v": w.ids["Submission"]},
        ),
        "rejectDeposit": (
            _S % 'rejectDeposit(input: {submissionId: $v, reason: OTHER, comment: "x"})',
            lambda w: {"v": w.ids["Submission"]},
        ),
        "orderConstat": (
            _S
            % 'orderConstat(input: {depositId: $v, expose: "x", requester: {legalForm: "SAS", companyName: "X", rcsNumber: "732829320", rcsCity: "Paris", street: "1 rue", postcode: "75001", city: "Paris", representativeFirstName: "A", representativeLastName: "B"}})',
            lambda w: {"v": w.ids["Deposit"]},
        ),
        "payConstatOrder": (
            _S % "payConstatOrder(orderId: $v)",
            lambda w: {"v": w.ids["ConstatOrder"]},
        ),
        "cancelConstatOrder": (
            _S % "cancelConstatOrder(orderId: $v)",
            lambda w: {"v": w.ids["ConstatOrder"]},
        ),
        "validateConstat": (
            _S % 'validateConstat(orderId: $v, correctedExpose: "pwned")',
            lambda w: {"v": w.ids["ConstatOrder"]},
        ),
        "prepareConstat": (
            _S % 'prepareConstat(orderId: $v, correctedExpose: "pwned")',
            lambda w: {"v": w.ids["ConstatOrder"]},
        ),
        "quoteOnSiteConstat": (
            _S
            % 'quoteOnSiteConstat(input: {requestId: $v, amountTtcCents: 100, validUntil: "2030-01-01T00:00:00Z", appointmentAt: "2030-01-02T09:00:00Z"})',
            lambda w: {"v": w.ids["OnSiteRequest"]},
        ),
        "refuseOnSiteConstat": (
            _S % 'refuseOnSiteConstat(requestId: $v, message: "no")',
            lambda w: {"v": w.ids["OnSiteRequest"]},
        ),
        "answerOnSiteQuote": (
            _S % "answerOnSiteQuote(requestId: $v, accept: true)",
            lambda w: {"v": w.ids["OnSiteRequest"]},
        ),
    }
)
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


@pytest.mark.parametrize("attacker", ["another tenant", "another office"])
async def test_mutations_cannot_reach_another_organisations_objects(
    world: World, attacker: str
) -> None:
    """Every probe in turn (one world per attacker keeps the suite fast); A's objects are
    checked after each."""
    client = world.b_owner if attacker == "another tenant" else world.y_clerk
    for field in sorted(MUTATION_PROBES):
        query, variables = MUTATION_PROBES[field]
        result = await gql(client, query, variables(world))
        assert result["r"]["__typename"] in REFUSALS, (field, result)
        await a_is_untouched(world)


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


async def test_offices_see_only_what_was_addressed_to_them(world: World) -> None:
    lists = (
        "{ reviewQueue { edges { node { id deposit { reference } } } } "
        "constatOrders { edges { node { id } } } onSiteRequests { edges { node { id } } } "
        "}"
    )
    other = await gql(world.y_clerk, lists)
    assert other == {
        "reviewQueue": {"edges": []},
        "constatOrders": {"edges": []},
        "onSiteRequests": {"edges": []},
    }
    mine = await gql(world.x_clerk, lists)
    assert [e["node"]["id"] for e in mine["reviewQueue"]["edges"]] == [world.ids["Submission"]]
    assert [e["node"]["id"] for e in mine["constatOrders"]["edges"]] == [world.ids["ConstatOrder"]]
    assert [e["node"]["id"] for e in mine["onSiteRequests"]["edges"]] == [
        world.ids["OnSiteRequest"]
    ]
    archive = await gql_raw(world.x_clerk, "{ deposits { edges { node { id } } } }")
    assert archive["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
    for key in ("Deposit", "draft", "colleague_deposit", "EvidenceItem", "colleague_item"):
        assert (await gql(world.x_clerk, NODE, {"id": world.ids[key]}))["node"] is None, key
    by_id = (
        "query($s: ID!, $o: ID!) { reviewFileChecks(submissionId: $s) { matches } "
        "constatSpecimen(orderId: $o) { size } }"
    )
    ids = {"s": world.ids["Submission"], "o": world.ids["ConstatOrder"]}
    assert await gql(world.y_clerk, by_id, ids) == {
        "reviewFileChecks": None,
        "constatSpecimen": None,
    }
    seen = await gql(world.x_clerk, by_id, ids)
    assert seen["reviewFileChecks"] == [{"matches": True}] and seen["constatSpecimen"]["size"]


async def test_tenants_see_nothing_of_other_tenants_submissions(world: World) -> None:
    b = world.b_owner
    queue = await gql_raw(b, "{ reviewQueue { edges { node { id } } } }")
    assert queue["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
    seen = await gql(
        b,
        "query($d: ID!, $o: ID!) { constatTerms(depositId: $d) { price } "
        "constatSpecimen(orderId: $o) { size } constatOrders { edges { node { id } } } "
        "onSiteRequests { edges { node { id } } } }",
        {"d": world.ids["sent"], "o": world.ids["ConstatOrder"]},
    )
    assert seen == {
        "constatTerms": None,
        "constatSpecimen": None,
        "constatOrders": {"edges": []},
        "onSiteRequests": {"edges": []},
    }


async def _count(database: Database, scope: TenantScope, table: str, a: uuid.UUID) -> int:
    async with database.unit_of_work(scope) as session:
        found = await session.execute(
            text(f"SELECT count(*) FROM {table} WHERE organisation_id = :a"), {"a": a}
        )
        return int(found.scalar_one())


ADDRESSED = ("submissions", "constat_orders", "onsite_requests")


async def test_row_level_security_grants_an_office_only_what_is_assigned_to_it(
    world: World, database: Database
) -> None:
    a, x, y = world.uuids["a"], world.uuids["x"], world.uuids["y"]
    x_scope = TenantScope(organisation_id=x, office_id=x)
    y_scope = TenantScope(organisation_id=y, office_id=y)
    # X reads the deposit submitted to it and the one whose PV it was paid to draw up.
    for table, expected in (("deposits", 2), ("evidence_items", 2), *((t, 1) for t in ADDRESSED)):
        assert await _count(database, y_scope, table, a) == 0, table
        assert await _count(database, x_scope, table, a) == expected, table
    for table in ("capture_sessions", "ledger_accounts", "ledger_entries", "memberships"):
        assert await _count(database, x_scope, table, a) == 0, table
    async with database.unit_of_work(x_scope) as session:
        untouched = await session.execute(
            text("UPDATE deposits SET status = 'ACCEPTED' WHERE id = :d"),
            {"d": world.uuids["Deposit"]},
        )
        assert untouched.rowcount == 0  # not submitted to X: invisible
    with refused(INSUFFICIENT_PRIVILEGE, match="only change the review status"):
        async with database.unit_of_work(x_scope) as session:
            await session.execute(
                text("UPDATE deposits SET title = 'pwned' WHERE id = :d"),
                {"d": world.uuids["sent"]},
            )
    with refused(INSUFFICIENT_PRIVILEGE, match="cannot change"):
        async with database.unit_of_work(x_scope) as session:
            await session.execute(
                text("UPDATE submissions SET office_id = :y WHERE organisation_id = :a"),
                {"y": y, "a": a},
            )
    with refused(INSUFFICIENT_PRIVILEGE, match="row-level security"):
        async with database.unit_of_work(x_scope) as session:
            await session.execute(
                text(
                    "INSERT INTO office_proposals (id, organisation_id, name, city, created_at) "
                    "VALUES (gen_random_uuid(), :a, 'x', 'y', now())"
                ),
                {"a": a},
            )
