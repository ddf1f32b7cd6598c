"""/metrics after some traffic: the series an operator's dashboards and alerts read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from tests.factories import log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database
from probant_platform.db.base import utcnow


async def _scrape(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_requests_graphql_operations_and_ledger_writes_are_counted(
    client: httpx.AsyncClient, database: Database
) -> None:
    member = await make_organisation(database)
    await log_in(client, member)
    before = await _scrape(client)

    for _ in range(3):
        assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/no-such-page")).status_code == 404
    named = {"query": "query OpsMetricsProbe { creditBalance }"}
    for _ in range(2):
        assert not (await client.post("/graphql", json=named)).json().get("errors")
    failing = {"query": "query OpsMetricsBroken { creditBalance(nope: 1) }"}
    assert (await client.post("/graphql", json=failing)).json()["errors"]
    await fund(database, member.organisation_id, 5)
    after = await _scrape(client)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("probant_http_requests_total", method="GET", route="/healthz", status="200") == 3
    assert delta("probant_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert delta("probant_http_request_duration_seconds_count", method="GET", route="/healthz") == 3
    ops = "probant_graphql_operations_total"
    assert delta(ops, operation="OpsMetricsProbe", type="query", outcome="ok") == 2
    assert delta(ops, operation="OpsMetricsBroken", type="query", outcome="error") == 1
    assert (
        delta(
            "probant_graphql_operation_duration_seconds_count",
            operation="OpsMetricsProbe",
            type="query",
        )
        == 2
    )
    assert delta("probant_ledger_operations_total", kind="ADJUSTMENT") == 1


async def test_queue_depth_and_age_and_anchoring_lag_come_from_the_database(
    client: httpx.AsyncClient, database: Database
) -> None:
    async with database.unit_of_work() as session:
        # A job waiting for two minutes, and an item sealed five minutes ago, not yet anchored.
        job_id = (
            await session.execute(
                text(
                    "INSERT INTO procrastinate_jobs (queue_name, task_name, args) "
                    "VALUES ('ops-metrics', 'notifications.send_email', '{}') RETURNING id"
                )
            )
        ).scalar_one()
        await session.execute(
            text(
                "INSERT INTO procrastinate_events (job_id, type, at) "
                "VALUES (:id, 'deferred', now() - interval '120 seconds')"
            ),
            {"id": job_id},
        )
        await session.execute(
            text(
                "INSERT INTO integrity_leaves (item_id, deposit_id, deposit_reference, "
                "item_sha256, record_sha256, sealed_at, joined_at) VALUES (gen_random_uuid(), "
                "gen_random_uuid(), 'OPS-LAG', repeat('a', 64), repeat('b', 64), :at, :at)"
            ),
            {"at": utcnow() - timedelta(minutes=5)},
        )
    samples = await _scrape(client)
    assert _value(samples, "probant_job_queue_depth", queue="ops-metrics", status="todo") == 1
    assert 120 <= _value(samples, "probant_job_queue_oldest_age_seconds", queue="ops-metrics") < 180
    assert _value(samples, "probant_anchoring_lag_seconds") >= 300
    assert _value(samples, "probant_unanchored_items") >= 1


async def test_operation_names_from_clients_cannot_grow_the_label_set(
    client: httpx.AsyncClient,
) -> None:
    from probant_platform import observability_metrics

    odd = {"query": "{ apiVersion }", "operationName": None}
    assert (await client.post("/graphql", json=odd)).status_code == 200
    assert observability_metrics.operation_label("x" * 65) == "other"
    assert observability_metrics.operation_label("a-b") == "other"
    samples = await _scrape(client)
    assert (
        _value(
            samples,
            "probant_graphql_operations_total",
            operation="anonymous",
            type="query",
            outcome="ok",
        )
        >= 1
    )
