"""The API under a partner token: each scope opens the fields it guards and nothing else; a
partner acts as its organisation (author recorded as the client), never as an office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from tests.bailiffs.helpers import make_office, sealed_deposit, submit
from tests.factories import gql, gql_raw, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.partners.helpers import ALL_SCOPES, bearer, register_client, token_for

from probant_platform.db import Database

Factory = Callable[[], httpx.AsyncClient]


async def _partner(
    database: Database, client_factory: Factory, scopes: list[str]
) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    """(the owner's session, a client holding a token with exactly `scopes`)."""
    owner = await make_organisation(database, name="Cabinet Partenaire")
    await fund(database, owner.organisation_id, 10)
    admin = client_factory()
    await log_in(admin, owner)
    credentials = await register_client(admin, scopes, name="Logiciel Juris")
    token = await token_for(client_factory(), credentials)
    return admin, bearer(client_factory(), token)


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


DEPOSITS = "{ deposits { edges { node { id } } } }"
START = "mutation { startCapture(kind: PHOTOS) { __typename } }"
CREDITS = "{ creditBalance }"
ENDPOINTS = "{ webhookEndpoints { id } }"
BUNDLE = "query($id: ID!) { node(id: $id) { ... on Deposit { proofBundle } } }"

# scope → (operation, how a refusal shows, how a success shows)
GUARDS: dict[
    str, tuple[str, Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], bool]]
] = {
    "deposits:read": (
        DEPOSITS,
        lambda b: _code(b) == "NOT_ALLOWED",
        lambda b: b["data"]["deposits"]["edges"] == [],
    ),
    "deposits:write": (
        START,
        lambda b: b["data"]["startCapture"]["__typename"] == "NotAllowed",
        lambda b: b["data"]["startCapture"]["__typename"] == "CaptureSessionPayload",
    ),
    "credits:read": (
        CREDITS,
        lambda b: _code(b) == "INSUFFICIENT_SCOPE",
        lambda b: b["data"]["creditBalance"] == 10,
    ),
    "webhooks:manage": (
        ENDPOINTS,
        lambda b: _code(b) == "NOT_ALLOWED",
        lambda b: b["data"]["webhookEndpoints"] == [],
    ),
}


@pytest.mark.parametrize("scope", sorted(GUARDS))
async def test_each_scope_opens_the_field_it_guards_and_only_it(
    database: Database, client_factory: Factory, scope: str
) -> None:
    query, refused, allowed = GUARDS[scope]
    _, with_scope = await _partner(database, client_factory, [scope])
    others = [s for s in ALL_SCOPES if s != scope]
    _, without = await _partner(database, client_factory, others)
    assert allowed(await gql_raw(with_scope, query)), scope
    assert refused(await gql_raw(without, query)), scope


async def test_documents_and_submission_need_their_own_scopes(
    database: Database, client_factory: Factory
) -> None:
    await make_office(database, name="Étude Durand")
    admin, partner = await _partner(
        database, client_factory, ["deposits:read", "deposits:write", "bailiffs:submit"]
    )
    deposit = await sealed_deposit(partner)
    refused = await gql_raw(partner, BUNDLE, {"id": deposit["id"]})
    assert _code(refused) == "INSUFFICIENT_SCOPE"
    submitted = await submit(partner, deposit["id"])
    assert submitted["__typename"] == "SubmissionPayload", submitted
    # The organisation sees the client as the author.
    seen = await gql(
        admin, "{ constatOrders { edges { node { id } } } deposits { edges { node { id } } } }"
    )
    assert [e["node"]["id"] for e in seen["deposits"]["edges"]] == [deposit["id"]]
    author = await gql(
        admin,
        "query($id: ID!) { node(id: $id) { ... on Submission { authorName } } }",
        {"id": submitted["submission"]["id"]},
    )
    assert author["node"]["authorName"] == "Logiciel Juris"

    _, no_submit = await _partner(
        database, client_factory, ["deposits:read", "deposits:write", "documents:read"]
    )
    other = await sealed_deposit(no_submit)
    assert (await gql(no_submit, BUNDLE, {"id": other["id"]}))["node"]["proofBundle"]
    body = await gql_raw(
        no_submit,
        "mutation($d: ID!) { submitDeposit(depositId: $d) { __typename } }",
        {"d": other["id"]},
    )
    assert _code(body) == "INSUFFICIENT_SCOPE"


async def test_a_partner_is_never_an_office_an_operator_or_an_admin(
    database: Database, client_factory: Factory
) -> None:
    _, partner = await _partner(database, client_factory, ALL_SCOPES)
    for query in (
        "{ reviewQueue { edges { node { id } } } }",
        "{ apiClients { id } }",
        "{ apiKeys { id } }",
        "{ organisations { edges { node { id } } } }",
        "{ auditLog { edges { node { id } } } }",
    ):
        assert _code(await gql_raw(partner, query)) in ("NOT_ALLOWED", "NOT_AUTHENTICATED"), query
    invite = await gql(
        partner,
        'mutation { inviteMember(email: "x@example.com", role: ADMIN) { __typename } }',
    )
    assert invite["inviteMember"]["__typename"] == "NotAllowed"
    created = await gql(
        partner,
        'mutation { createApiClient(name: "x", scopes: ["deposits:read"]) { __typename } }',
    )
    assert created["createApiClient"]["__typename"] == "NotAllowed"


async def test_an_sk_key_is_a_bearer_token_of_the_same_model(
    database: Database, client_factory: Factory
) -> None:
    admin, _ = await _partner(database, client_factory, ["deposits:read"])
    created = await gql(
        admin,
        'mutation { createApiKey(name: "backend") { '
        "... on ApiKeyCreated { secret apiKey { id } } } }",
    )
    secret = created["createApiKey"]["secret"]
    keyed = bearer(client_factory(), secret)
    assert (await gql(keyed, CREDITS))["creditBalance"] == 10
    assert _code(await gql_raw(keyed, "{ apiClients { id } }")) == "NOT_ALLOWED"
    await gql(
        admin,
        "mutation($i: ID!) { revokeKey(id: $i) { __typename } }",
        {"i": created["createApiKey"]["apiKey"]["id"]},
    )
    assert _code(await gql_raw(keyed, CREDITS)) == "NOT_AUTHENTICATED"


async def test_an_api_client_is_neither_listed_nor_managed_as_a_member(
    database: Database, client_factory: Factory
) -> None:
    admin, partner = await _partner(database, client_factory, ["deposits:read"])
    members = await gql(admin, "{ organisation { members { edges { node { id role email } } } } }")
    nodes = [e["node"] for e in members["organisation"]["members"]["edges"]]
    assert [n["role"] for n in nodes] == ["OWNER"]
    viewer = await gql(partner, "{ viewer { organisation { id } } }")
    assert viewer["viewer"]["organisation"]["id"]


async def test_a_guarded_field_on_every_row_of_a_page_is_refused_on_every_row(
    database: Database, client_factory: Factory
) -> None:
    admin, partner = await _partner(database, client_factory, ["deposits:read", "deposits:write"])
    made = [await sealed_deposit(partner) for _ in range(2)]
    page = "{ deposits { edges { node { id exportUrl } } } }"
    body = await gql_raw(partner, page)
    # The rows are there; the guarded field alone is refused, once per row.
    assert sorted(e["node"]["id"] for e in body["data"]["deposits"]["edges"]) == sorted(
        d["id"] for d in made
    )
    assert [e["node"]["exportUrl"] for e in body["data"]["deposits"]["edges"]] == [None, None]
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INSUFFICIENT_SCOPE"] * 2
    assert {tuple(e["path"][-1:]) for e in body["errors"]} == {("exportUrl",)}
    # The organisation's own session has no scopes to enforce.
    assert "errors" not in await gql_raw(admin, page)


def test_a_scope_on_a_field_the_schema_lacks_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from probant_graphql.field_scopes import UnknownScopedField, guard_field_scopes
    from probant_graphql.permissions import FIELD_SCOPES
    from probant_graphql.schema import build_schema

    schema = build_schema(production=True)
    query = schema._schema.type_map["Query"]
    assert isinstance(query, GraphQLObjectType)
    guarded = query.fields["creditBalance"].resolve
    guard_field_scopes(schema)  # again: nothing wrapped twice
    assert query.fields["creditBalance"].resolve is guarded

    monkeypatch.setitem(FIELD_SCOPES, "Deposit.exportUri", frozenset({"documents:read"}))
    with pytest.raises(UnknownScopedField, match=r"Deposit\.exportUri"):
        build_schema(production=True)
