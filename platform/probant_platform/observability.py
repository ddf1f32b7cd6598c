"""OpenTelemetry traces: exported over OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, else none.

The standard `OTEL_*` variables configure the exporter (endpoint, headers, protocol) and the
resource (`OTEL_SERVICE_NAME`). Without an endpoint no provider is installed: the API's
no-op tracer costs nothing and nothing leaves the process. Tests pass their own provider.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

import structlog
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode

from probant_platform import __version__

P = ParamSpec("P")
R = TypeVar("R")
TRACER_NAME = "probant"
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")

_provider: TracerProvider | None = None


def tracing_configured() -> bool:
    return any(os.environ.get(name) for name in ENDPOINT_VARIABLES)


def setup_tracing(provider: TracerProvider | None = None) -> TracerProvider | None:
    """The process's tracer provider: `provider`, an OTLP one when configured, or None.

    Idempotent: a process (API or worker) sets its provider up once; httpx clients are
    instrumented with it.
    """
    global _provider
    if provider is None and _provider is None and tracing_configured():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider = TracerProvider(
            resource=Resource.create(
                {
                    "service.name": os.environ.get("OTEL_SERVICE_NAME", "probant"),
                    "service.version": __version__,
                }
            )
        )
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    if provider is not None and provider is not _provider:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        instrumentor = HTTPXClientInstrumentor()
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
        instrumentor.instrument(tracer_provider=provider)
        _provider = provider
    return _provider


def reset_tracing() -> None:
    """Undo `setup_tracing` (tests): httpx and SQLAlchemy are no longer traced."""
    global _provider
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    for instrumentor in (HTTPXClientInstrumentor(), SQLAlchemyInstrumentor()):
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
    _provider = None


def instrument_database(database: Any) -> None:
    """Trace the SQL statements of `database` (set up tracing first if the process has not)."""
    if setup_tracing() is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    session = database.session()  # its bind: the engine, or (tests) one outer connection
    engines = {id(e.sync_engine): e.sync_engine for e in (database.engine, session.bind)}
    instrumentor = SQLAlchemyInstrumentor()
    if instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.uninstrument()
    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses unchanged.
    instrumentor.instrument(
        engines=list(engines.values()), tracer_provider=_provider, skip_dep_check=True
    )


def instrument_app(app: Any) -> None:
    """Trace every HTTP request of the Starlette `app` (a span per request, named by route)."""
    if setup_tracing() is None:
        return
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    app.add_middleware(
        OpenTelemetryMiddleware,
        tracer_provider=_provider,
        default_span_details=_span_details(app),
        server_request_hook=_tag_request_id,
        exclude_spans=["receive", "send"],
    )


def _tag_request_id(span: Any, scope: dict[str, Any]) -> None:
    # Runs inside RequestContextMiddleware, which bound this request's id for the logs; the
    # trace id bound here reaches its access line too (same task, same context).
    if span is None or not span.is_recording():
        return
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        span.set_attribute("probant.request_id", request_id)
    structlog.contextvars.bind_contextvars(
        trace_id=format(span.get_span_context().trace_id, "032x")
    )


def _span_details(app: Any) -> Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]:
    from starlette.routing import Match

    def details(scope: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        # The route template, never the raw path: ids would make every span name unique.
        method = scope.get("method", "HTTP")
        for route in app.routes:
            if route.matches(scope)[0] is Match.FULL:
                return f"{method} {route.path}", {"http.route": route.path}
        return str(method), {}

    return details


def tracer() -> trace.Tracer:
    return (_provider or trace.get_tracer_provider()).get_tracer(TRACER_NAME, __version__)


def traced_job(name: str, func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """A job function that runs in a span `job <name>` and is counted in the job metrics."""
    from probant_platform.observability_metrics import observe_job

    @functools.wraps(func)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with tracer().start_as_current_span(
            f"job {name}", kind=trace.SpanKind.CONSUMER, attributes={"probant.job": name}
        ) as span:
            outcome = "error"
            try:
                result = await func(*args, **kwargs)
                outcome = "ok"
                return result
            except Exception as exc:
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise
            finally:
                observe_job(name, outcome)

    return run


def add_trace_context(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: log lines name the trace and span they were written in."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032x")
        event["span_id"] = format(context.span_id, "016x")
    return event
