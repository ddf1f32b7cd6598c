"""The HTTP surface of the foundation: probes, GraphQL basics, headers."""

from __future__ import annotations

from typing import Any

import httpx


async def test_healthz_says_the_process_is_alive(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readyz_is_ready_when_migrations_are_at_head(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}


async def test_readyz_names_pending_migrations(app: Any, client: httpx.AsyncClient) -> None:
    app.state.migration_heads = app.state.migration_heads | {"9999_future"}
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "migrations pending: 9999_future"


async def test_introspection_lists_the_query_type(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_malformed_graphql_is_a_graphql_error_not_a_crash(client: httpx.AsyncClient) -> None:
    # GraphQL over HTTP: with an `application/json` response a request error is a 200.
    response = await client.post("/graphql", json={"query": "{ apiVersion "})
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_invalid_json_body_is_a_client_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_unknown_field_is_reported(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ nope }"})
    assert response.status_code == 200
    assert "Cannot query field 'nope'" in response.json()["errors"][0]["message"]


async def test_too_deep_or_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    aliases = " ".join(f"a{i}: apiVersion" for i in range(40))
    response = await client.post("/graphql", json={"query": "{ " + aliases + " }"})
    assert "aliases" in response.json()["errors"][0]["message"]


async def test_responses_carry_security_headers_and_a_request_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_graphiql_is_served_in_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_production_hides_graphiql_and_stack_traces(settings: Any, database: Any) -> None:
    from probant_platform.web.app import create_app

    production = settings.model_copy(update={"env": "production"})
    app = create_app(production, database=database, configure_logs=False)

    async def boom(request: Any) -> Any:
        raise RuntimeError("secret internals")

    app.add_route("/boom", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        ide = await c.get("/graphql", headers={"accept": "text/html"})
        crash = await c.get("/boom")
    assert ide.status_code == 404, ide.text
    assert crash.status_code == 500
    assert "secret internals" not in crash.text
    assert crash.json()["error"] == "internal_error"


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.status_code == 200
    sample = 'probant_http_requests_total{method="GET",route="/healthz",status="200"}'
    assert sample in response.text
