"""Tenant isolation under partner tokens: the isolation suite's world, attacked by organisation
B's API client holding every scope (and by an `sk_` key of B) — it reads and changes nothing
of A, by node id, by connection or by passing A's ids to mutations."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from tests.factories import gql, log_in, make_organisation
from tests.partners.helpers import ALL_SCOPES, bearer, register_client, token_for
from tests.tenancy.isolation_world import (
    MUTATION_PROBES,
    NODE,
    NODE_TYPES,
    PUBLIC_NODES,
    REFUSALS,
    UNREACHABLE_BY_NODE,
    World,
    a_is_untouched,
    build_world,
)

from probant_platform.db import Database


@pytest.fixture
async def world(database: Database, client_factory: Callable[[], httpx.AsyncClient]) -> World:
    return await build_world(database, client_factory)


@pytest.fixture
async def b_partner(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> httpx.AsyncClient:
    owner = await make_organisation(database, name="Organisation B")
    admin = client_factory()
    await log_in(admin, owner)
    credentials = await register_client(admin, ALL_SCOPES)
    return bearer(client_factory(), await token_for(client_factory(), credentials))


async def test_a_partner_token_of_b_reads_nothing_of_a(
    world: World,
    b_partner: httpx.AsyncClient,
) -> None:
    for type_name in sorted(NODE_TYPES - UNREACHABLE_BY_NODE - PUBLIC_NODES):
        assert (await gql(b_partner, NODE, {"id": world.ids[type_name]}))["node"] is None, type_name
    seen = await gql(
        b_partner,
        "{ viewer { organisation { id } } deposits { edges { node { id } } } creditBalance "
        "ledgerEntries { edges { node { amount } } } constatOrders { edges { node { id } } } "
        "onSiteRequests { edges { node { id } } } }",
    )
    assert seen["viewer"]["organisation"]["id"] != world.ids["Organisation"]
    assert seen["deposits"]["edges"] == [] and seen["creditBalance"] == 0
    assert seen["ledgerEntries"]["edges"] == [] and seen["constatOrders"]["edges"] == []
    assert seen["onSiteRequests"]["edges"] == []
    quote = await gql(
        b_partner,
        "query($d: ID!) { depositQuote(depositId: $d) { credits } }",
        {"d": world.ids["Deposit"]},
    )
    assert quote["depositQuote"] is None


async def test_a_partner_token_of_b_changes_nothing_of_a(
    world: World,
    b_partner: httpx.AsyncClient,
) -> None:
    for field in sorted(MUTATION_PROBES):
        query, variables = MUTATION_PROBES[field]
        body = (
            await b_partner.post("/graphql", json={"query": query, "variables": variables(world)})
        ).json()
        refused_by_scope = body.get("errors") and body["errors"][0]["extensions"]["code"] in (
            "INSUFFICIENT_SCOPE",
        )
        assert refused_by_scope or body["data"]["r"]["__typename"] in REFUSALS, (field, body)
    await a_is_untouched(world)


async def test_a_partner_token_of_a_sees_a_but_acts_as_no_office(
    world: World,
    client_factory: Callable[[], httpx.AsyncClient],
) -> None:
    credentials = await register_client(world.a_owner, ["deposits:read", "documents:read"])
    partner = bearer(client_factory(), await token_for(client_factory(), credentials))
    found = await gql(partner, NODE, {"id": world.ids["Deposit"]})
    assert found["node"] == {"id": world.ids["Deposit"]}
    bundle = await gql(
        partner,
        "query($id: ID!) { node(id: $id) { ... on Deposit { proofBundle } } }",
        {"id": world.ids["Deposit"]},
    )
    assert bundle["node"]["proofBundle"]["format"] == "probant-proof-bundle"
    # An office's objects stay the office's: A's client cannot review anything.
    queue = (
        await partner.post("/graphql", json={"query": "{ reviewQueue { edges { node { id } } } }"})
    ).json()
    assert queue["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
