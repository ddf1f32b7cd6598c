"""Production mode tells an outsider nothing about the schema or the server, yet every error
keeps a stable code; no mode ever lets SQL text (or a database's address) reach a client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from tests.embedding.helpers import create_keys
from tests.factories import gql_raw, log_in, make_organisation
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.db import Database

PRODUCTION = {"PROBANT_ENV": "production"}
INTROSPECTION = "{ __schema { queryType { name } } }"


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def production(make_app: AppFactory, make_client: ClientFactory) -> httpx.AsyncClient:
    return make_client(make_app(**PRODUCTION))


async def test_production_refuses_introspection_and_drops_suggestions(
    production: httpx.AsyncClient,
) -> None:
    refused = await gql_raw(production, INTROSPECTION)
    assert refused.get("data") is None
    assert set(_codes(refused)) == {"GRAPHQL_VALIDATION_FAILED"}

    misspelt = await gql_raw(production, "{ viewr { role } }")
    assert _codes(misspelt) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "viewr" in misspelt["errors"][0]["message"]
    assert "Did you mean" not in misspelt["errors"][0]["message"]


async def test_a_partners_sandbox_may_turn_introspection_back_on(
    make_app: AppFactory, make_client: ClientFactory
) -> None:
    sandbox = make_client(make_app(**PRODUCTION, PROBANT_GRAPHQL_INTROSPECTION=True))
    body = await gql_raw(sandbox, INTROSPECTION)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_development_keeps_introspection_and_suggestions(client: httpx.AsyncClient) -> None:
    assert (await gql_raw(client, INTROSPECTION))["data"]["__schema"]
    misspelt = await gql_raw(client, "{ viewr { role } }")
    assert "Did you mean 'viewer'?" in misspelt["errors"][0]["message"]


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("{ creditBalance }", "NOT_AUTHENTICATED"),
        ("{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }", "TOO_MANY_ALIASES"),
        ("{ " + "__typename " * 4001 + "}", "QUERY_TOO_LARGE"),
        ("{ viewer { role ", "GRAPHQL_PARSE_FAILED"),
        ("mutation { logIn(email: 1, password: 2) { __typename } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_expected_errors_keep_their_code_and_a_safe_message_in_production(
    production: httpx.AsyncClient, document: str, code: str
) -> None:
    body = await gql_raw(production, document)
    assert set(_codes(body)) == {code}
    assert "Internal server error" not in body["errors"][0]["message"]


async def test_query_depth_is_limited_with_a_code(production: httpx.AsyncClient) -> None:
    # The schema has no cycle this deep; the limit is checked on the document's shape first.
    deep = "{ a " * 13 + "{ b }" + " }" * 13
    body = await gql_raw(production, deep)
    assert "QUERY_TOO_DEEP" in _codes(body)


@pytest.mark.parametrize("overrides", [PRODUCTION, {}], ids=["production", "development"])
async def test_a_database_failure_is_internal_error_with_the_request_id(
    make_app: AppFactory,
    make_client: ClientFactory,
    app_url: str,
    overrides: dict[str, str],
) -> None:
    # Given a server whose database is unreachable
    dead = make_url(app_url).set(host="127.0.0.1", port=9)
    unreachable = Database(dead.render_as_string(hide_password=False), pool_size=1)
    client = make_client(make_app(on=unreachable, **overrides))
    try:
        # When an operation needs it
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { role } }"},
            headers={"cookie": "probant_session=any-session-token"},
        )
    finally:
        await unreachable.dispose()
    # Then the client learns that it failed and under which request id, and nothing else
    error = response.json()["errors"][0]
    assert error["message"] == "Erreur interne / Internal server error"
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
    assert "127.0.0.1" not in response.text and "connection" not in response.text.lower()


async def test_a_nul_byte_in_graphql_input_is_refused_before_any_query(
    client: httpx.AsyncClient, database: Database
) -> None:
    await log_in(client, await make_organisation(database))
    document = "mutation($o: [String!]!) { createWidgetKey(allowedOrigins: $o) { __typename } }"
    response = await client.post(
        "/graphql", json={"query": document, "variables": {"o": ["https://a\x00b.example"]}}
    )
    assert response.status_code == 400
    assert _codes(response.json()) == ["INVALID_INPUT"]

    literal = await gql_raw(
        client,
        'mutation { createWidgetKey(allowedOrigins: ["https://a\\u0000b.fr"]) { __typename } }',
    )
    assert _codes(literal) == ["INVALID_INPUT"]
    assert literal.get("data") is None


async def test_a_nul_byte_in_a_capture_token_request_is_a_400_without_sql(
    client: httpx.AsyncClient, database: Database
) -> None:
    embedding = await create_keys(client, await make_organisation(database))
    response = await client.post(
        "/api/v1/capture-tokens",
        json={"member_email": "a\x00b@example.com", "widget_key": embedding.public_key},
        headers={"authorization": f"Bearer {embedding.secret}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_INPUT"
    assert "member_email" in response.json()["error"]["message"]
    assert "SELECT" not in response.text and "INSERT" not in response.text


async def test_metrics_are_not_public_in_production(
    make_app: AppFactory, make_client: ClientFactory
) -> None:
    without_token = make_client(make_app(**PRODUCTION))
    assert (await without_token.get("/metrics")).status_code == 404

    scraper = make_client(make_app(**PRODUCTION, PROBANT_METRICS_TOKEN="s3cret-scrape-token"))
    assert (await scraper.get("/metrics")).status_code == 401
    wrong = {"authorization": "Bearer guess"}
    assert (await scraper.get("/metrics", headers=wrong)).status_code == 401
    right = {"authorization": "Bearer s3cret-scrape-token"}
    response = await scraper.get("/metrics", headers=right)
    assert response.status_code == 200
    assert "probant_http_requests_total" in response.text


async def test_a_domain_error_escaping_a_query_keeps_its_code_and_words() -> None:
    import strawberry

    from probant_graphql.error_masking import ProductionErrorMasking
    from probant_platform.errors import DomainError

    class Refused(DomainError):
        code = "REFUSED"
        message_fr = "Refusé pour une raison lisible."
        message_en = "Refused for a reason a person can read."

    @strawberry.type
    class Query:
        @strawberry.field
        def refused(self) -> str:
            raise Refused()

        @strawberry.field
        def crashed(self) -> str:
            raise RuntimeError("secret internals")

    schema = strawberry.Schema(query=Query, extensions=[ProductionErrorMasking])
    result = await schema.execute("{ refused }")
    assert result.errors is not None
    assert (result.errors[0].extensions, result.errors[0].message) == (
        {"code": "REFUSED"},
        "Refusé pour une raison lisible. / Refused for a reason a person can read.",
    )
    crashed = await schema.execute("{ crashed }")
    assert crashed.errors is not None
    assert crashed.errors[0].message == "Erreur interne / Internal server error"
    assert crashed.errors[0].extensions["code"] == "INTERNAL_SERVER_ERROR"
