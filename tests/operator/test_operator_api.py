# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The operator console's data: an organisation's overview, proposed offices, the catalogue and
negotiated prices, credit adjustments with a written reason, the platform audit log and the
anchoring status. Only operators read any of it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from strawberry.relay import to_base64
from tests.bailiffs.helpers import make_office
from tests.factories import MemberInfo, Role, add_member, gql, gql_raw, log_in, make_organisation

from probant_platform.db import Database, utcnow

OVERVIEW = "query($id: ID!) { organisationOverview(id: $id) { organisation { name kind members { edges { node { email role } } } } creditBalance memberCount plan { planName } prices { id kind name price { ttcCents htCents } listPrice { ttcCents } negotiated active pricingRule } } }"
ADJUST = "mutation($o: ID!, $a: Int!, $r: String!, $k: String!) { adjustCredits(organisationId: $o, amount: $a, reason: $r, idempotencyKey: $k) { __typename ... on CreditsMoved { organisationBalance } ... on InvalidInput { field message } } }"
LOG = "query($o: ID, $a: AuditAction) { platformAuditLog(organisationId: $o, action: $a, first: 10) { edges { node { action organisationName actorEmail reason credits } } pageInfo { hasNextPage } } }"
PROPOSALS = (
    "{ proposedOffices(first: 50) { edges { node { name city organisationName proposerEmail } } } }"
)
CATALOGUE = "query($o: ID) { operatorCatalogue(organisationId: $o) { id kind name credits seats price { ttcCents htCents vatCents } listPrice { ttcCents } negotiated active pricingRule } }"
ANCHORING = "{ anchoringStatus { lateAfterMinutes waitingItems latest { sequence root leafCount late anchor { txHash status confirmations } } late { sequence } } }"
OVERRIDE = "mutation($o: ID!, $p: String!, $c: Int) { setPriceOverride(organisationId: $o, productId: $p, priceTtcCents: $c) { __typename ... on CreditPack { negotiated } } }"


async def test_an_operator_sees_an_organisation_adjusts_its_credits_with_a_reason_and_finds_it_in_the_audit_log(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], operator: MemberInfo
) -> None:
    customer = await make_organisation(database, name="Cabinet Console")
    await add_member(database, customer, role=Role.COLLABORATOR)
    org_id = to_base64("Organisation", str(customer.organisation_id))
    ops = client_factory()
    await log_in(ops, operator)

    no_reason = await gql(ops, ADJUST, {"o": org_id, "a": 5, "r": "  ", "k": "console-0"})
    credited = await gql(
        ops,
        ADJUST,
        {"o": org_id, "a": 12, "r": "Geste commercial : incident du 3 décembre", "k": "console-1"},
    )
    pack = (await gql(ops, CATALOGUE, {"o": None}))["operatorCatalogue"]
    first_pack = next(p for p in pack if p["kind"] == "PACK")
    negotiated = await gql(ops, OVERRIDE, {"o": org_id, "p": first_pack["id"], "c": 5000})
    overview = (await gql(ops, OVERVIEW, {"id": org_id}))["organisationOverview"]
    log = (await gql(ops, LOG, {"o": org_id, "a": None}))["platformAuditLog"]
    adjusted = (await gql(ops, LOG, {"o": None, "a": "CREDITS_ADJUSTED"}))["platformAuditLog"]

    assert no_reason["adjustCredits"]["__typename"] == "InvalidInput"
    assert no_reason["adjustCredits"]["field"] == "reason"
    assert (
        no_reason["adjustCredits"]["message"]
        == "Un motif écrit est obligatoire pour un ajustement."
    )
    assert credited["adjustCredits"] == {"__typename": "CreditsMoved", "organisationBalance": 12}
    assert negotiated["setPriceOverride"] == {"__typename": "CreditPack", "negotiated": True}
    assert overview["organisation"]["name"] == "Cabinet Console"
    assert overview["creditBalance"] == 12 and overview["memberCount"] == 2
    assert sorted(e["node"]["role"] for e in overview["organisation"]["members"]["edges"]) == [
        "COLLABORATOR",
        "OWNER",
    ]
    assert overview["plan"] is None
    mine = next(p for p in overview["prices"] if p["id"] == first_pack["id"])
    assert mine["negotiated"] and mine["price"]["ttcCents"] == 5000
    assert mine["listPrice"]["ttcCents"] == first_pack["price"]["ttcCents"]
    assert mine["price"]["htCents"] == 4167
    actions = [e["node"] for e in log["edges"]]
    assert {
        "action": "CREDITS_ADJUSTED",
        "organisationName": "Cabinet Console",
        "actorEmail": operator.email,
        "reason": "Geste commercial : incident du 3 décembre",
        "credits": 12,
    } in actions
    assert "PRICE_NEGOTIATED" in {a["action"] for a in actions}
    assert all(e["node"]["action"] == "CREDITS_ADJUSTED" for e in adjusted["edges"])
    assert any(e["node"]["organisationName"] == "Cabinet Console" for e in adjusted["edges"])


async def test_the_catalogue_shows_prices_ht_and_ttc_and_the_pricing_rule(
    client_factory: Callable[[], httpx.AsyncClient], operator: MemberInfo
) -> None:
    ops = client_factory()
    await log_in(ops, operator)
    products = (await gql(ops, CATALOGUE, {"o": None}))["operatorCatalogue"]

    assert {p["kind"] for p in products} == {"PACK", "PLAN"}
    for p in products:
        assert p["price"]["htCents"] + p["price"]["vatCents"] == p["price"]["ttcCents"]
        assert p["pricingRule"] in ("PER_DEPOSIT", "PER_ITEM")
        assert not p["negotiated"]
    assert any(p["seats"] for p in products if p["kind"] == "PLAN")


async def test_an_operator_sees_the_offices_members_proposed(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], operator: MemberInfo
) -> None:
    member = await make_organisation(database, name="Cabinet Proposant")
    tenant = client_factory()
    await log_in(tenant, member)
    await gql(
        tenant,
        'mutation { proposeBailiffOffice(name: "Étude Lenoir", city: "Rennes") { __typename } }',
    )
    ops = client_factory()
    await log_in(ops, operator)

    listed = [e["node"] for e in (await gql(ops, PROPOSALS))["proposedOffices"]["edges"]]

    assert {
        "name": "Étude Lenoir",
        "city": "Rennes",
        "organisationName": "Cabinet Proposant",
        "proposerEmail": member.email,
    } in listed


async def test_the_anchoring_status_lists_batches_and_flags_none_as_late_when_all_are_recent(
    client_factory: Callable[[], httpx.AsyncClient], operator: MemberInfo
) -> None:
    ops = client_factory()
    await log_in(ops, operator)
    status = (await gql(ops, ANCHORING))["anchoringStatus"]

    assert status["lateAfterMinutes"] == 30
    assert status["waitingItems"] >= 0
    sequences = [b["sequence"] for b in status["latest"]]
    assert sequences == sorted(sequences, reverse=True)
    assert all(b["late"] for b in status["late"])


@pytest.mark.parametrize("who", ["admin", "clerk"])
async def test_a_tenant_admin_and_a_clerk_read_none_of_the_console(
    who: str, database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner = await make_organisation(database)
    office = await make_office(database, name="Étude Fermée")
    person = await add_member(database, owner, role=Role.ADMIN) if who == "admin" else office.clerk
    client = client_factory()
    await log_in(client, person)
    org_id = to_base64("Organisation", str(owner.organisation_id))

    for query, variables in (
        (OVERVIEW, {"id": org_id}),
        (PROPOSALS, {}),
        (CATALOGUE, {"o": org_id}),
        (LOG, {"o": None, "a": None}),
        (ANCHORING, {}),
    ):
        body = await gql_raw(client, query, variables)
        assert not any((body.get("data") or {}).values()), body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_ALLOWED"]
        assert body["errors"][0]["message"] == "Votre rôle ne permet pas cela."
    refused = await gql(client, ADJUST, {"o": org_id, "a": 100, "r": "moi-même", "k": "self"})
    assert refused["adjustCredits"]["__typename"] == "NotAllowed"


async def test_the_database_shows_other_organisations_audit_events_and_proposals_only_to_operators(
    database: Database, operator: MemberInfo
) -> None:
    """The row-level policies, not only the resolvers: an admin scoped to their organisation
    reads none of another's events or proposals; an operator reads them."""
    from sqlalchemy import func, select

    from probant_platform.bailiffs.models import OfficeProposal
    from probant_platform.db import TenantScope
    from probant_tenants.models import AuditEvent

    other = await make_organisation(database, name="Cabinet Voisin")
    async with database.unit_of_work(TenantScope(organisation_id=other.organisation_id)) as s:
        s.add(
            OfficeProposal(
                organisation_id=other.organisation_id,
                proposed_by_user_id=other.user_id,
                name="Étude Voisine",
                city="Lille",
                created_at=utcnow(),
            )
        )
    admin = await make_organisation(database, name="Cabinet Curieux")

    async def seen(scope: TenantScope) -> tuple[int, int]:
        async with database.unit_of_work(scope) as s:
            events = await s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.organisation_id == other.organisation_id)
            )
            proposals = await s.scalar(
                select(func.count())
                .select_from(OfficeProposal)
                .where(OfficeProposal.organisation_id == other.organisation_id)
            )
            return int(events or 0), int(proposals or 0)

    as_admin = await seen(TenantScope(organisation_id=admin.organisation_id, user_id=admin.user_id))
    as_operator = await seen(
        TenantScope(organisation_id=operator.organisation_id, user_id=operator.user_id)
    )

    assert as_admin == (0, 0)
    assert as_operator[0] >= 1 and as_operator[1] == 1  # its sign-up, its proposal
