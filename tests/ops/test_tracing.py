"""Traces: a GraphQL request, its SQL and jobs become spans; nothing is set up without an
OTLP endpoint. Spans go to an in-memory exporter (the SDK's own), the app is the real one."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import procrastinate
import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from tests.factories import log_in, make_organisation

from probant_platform import observability
from probant_platform.db import Database
from probant_platform.jobs import enqueue, job_app
from probant_platform.jobs.runtime import psycopg_conninfo
from probant_platform.runtime import build_runtime

QUERY = "query OpsTraceProbe { viewer { __typename } creditBalance }"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    observability.setup_tracing(provider)
    try:
        yield exporter
    finally:
        observability.reset_tracing()
        provider.shutdown()


def _traced_app(settings: Any, database: Database) -> Any:
    from probant_platform.web.app import create_app

    return create_app(settings, database=database, configure_logs=False)


async def test_a_graphql_request_is_a_server_span_with_its_operation_sql_and_request_id(
    spans: InMemorySpanExporter, settings: Any, database: Database
) -> None:
    member = await make_organisation(database)
    app = _traced_app(settings, database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await log_in(client, member)
        spans.clear()
        response = await client.post(
            "/graphql", json={"query": QUERY, "operationName": "OpsTraceProbe"}
        )
    assert response.status_code == 200, response.text
    assert not response.json().get("errors"), response.text
    finished = spans.get_finished_spans()
    server = [s for s in finished if s.kind is SpanKind.SERVER]
    assert [s.name for s in server] == ["POST /graphql"]
    attributes = server[0].attributes or {}
    assert attributes["http.route"] == "/graphql"
    assert attributes["graphql.operation.name"] == "OpsTraceProbe"
    assert attributes["graphql.operation.type"] == "query"
    assert attributes["probant.request_id"] == response.headers["x-request-id"]
    # The operation's transaction (tenant settings at least) runs in the same trace.
    sql = [s for s in finished if s.kind is SpanKind.CLIENT and "db.system" in (s.attributes or {})]
    assert sql, [s.name for s in finished]
    assert {s.context.trace_id for s in sql} == {server[0].context.trace_id}


async def test_log_lines_name_the_trace_they_were_written_in(
    spans: InMemorySpanExporter, settings: Any, database: Database, capsys: Any
) -> None:
    from probant_platform.logging import configure_logging

    configure_logging("INFO")
    try:
        app = _traced_app(settings, database)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            response = await client.get("/healthz")
    finally:
        logging.getLogger().handlers[:] = []
        structlog.reset_defaults()
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("event") == "http.request"]
    assert access and access[-1]["request_id"] == response.headers["x-request-id"]
    server = next(s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER)
    assert access[-1]["trace_id"] == format(server.context.trace_id, "032x")


async def test_a_job_runs_in_its_own_span(
    spans: InMemorySpanExporter, committed_database: Database, settings: Any, app_url: str
) -> None:
    build_runtime(settings, committed_database)
    marker = secrets.token_hex(6)
    async with committed_database.unit_of_work() as session:
        await enqueue(
            session,
            "notifications.send_email",
            to="traced@example.test",
            template="welcome",
            locale="fr",
            context={"name": marker},
        )
    connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
    with job_app.replace_connector(connector):
        async with job_app.open_async():
            await job_app.run_worker_async(
                queues=["email"], wait=False, install_signal_handlers=False
            )
    jobs = [s for s in spans.get_finished_spans() if s.name == "job notifications.send_email"]
    assert jobs
    assert jobs[0].kind is SpanKind.CONSUMER
    assert jobs[0].status.is_ok


def test_without_an_endpoint_nothing_is_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in observability.ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert observability.setup_tracing() is None


def test_with_an_endpoint_an_otlp_exporter_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr("opentelemetry.trace.set_tracer_provider", lambda provider: None)
    try:
        provider = observability.setup_tracing()
        assert isinstance(provider, TracerProvider)
        processors = provider._active_span_processor._span_processors
        assert [type(p.span_exporter) for p in processors] == [OTLPSpanExporter]  # type: ignore[attr-defined]
    finally:
        observability.reset_tracing()
        if provider is not None:
            provider.shutdown()


def test_an_error_log_line_carries_its_traceback(capsys: Any) -> None:
    from probant_platform.logging import configure_logging

    configure_logging("INFO")
    try:
        try:
            raise ValueError("the cause an operator needs")
        except ValueError:
            structlog.get_logger("probant.test").exception("http.unhandled_error")
    finally:
        logging.getLogger().handlers[:] = []
        structlog.reset_defaults()
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    error = next(line for line in lines if line["event"] == "http.unhandled_error")
    assert "Traceback" in error["exception"]
    assert "ValueError: the cause an operator needs" in error["exception"]


async def test_graphql_errors_carry_the_request_id_of_the_response(
    client: httpx.AsyncClient,
) -> None:
    invalid = await client.post("/graphql", json={"query": "{ creditBalance(nope: 1) }"})
    body = invalid.json()
    assert body["errors"]
    request_id = invalid.headers["x-request-id"]
    assert {e["extensions"]["requestId"] for e in body["errors"]} == {request_id}
    # A caller's own id (a proxy's) is kept end to end.
    refused = await client.post(
        "/graphql",
        json={"query": "{ creditBalance }"},
        headers={"x-request-id": "edge-4f2a9c"},
    )
    error = refused.json()["errors"][0]
    assert error["extensions"]["requestId"] == "edge-4f2a9c"
    assert error["extensions"]["code"] == "NOT_AUTHENTICATED"
