"""GraphQL operations in metrics (by name, type, outcome), on the request's trace span, and the
request id in every error (`extensions.requestId`, the `x-request-id` of the response)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import structlog
from opentelemetry import trace
from strawberry.extensions import SchemaExtension

from probant_platform.observability_metrics import observe_graphql, operation_label


class GraphQLObservability(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:  # a document that does not parse has no operation type
            kind = "unknown"
        name = operation_label(context.operation_name)
        ok = context.result is not None and not context.result.errors
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if context.result is not None and request_id:
            for error in context.result.errors or []:
                error.extensions = {**(error.extensions or {}), "requestId": request_id}
        observe_graphql(operation=name, kind=kind, ok=ok, seconds=time.perf_counter() - started)
        span = trace.get_current_span()
        if span.is_recording():
            span.set_attribute("graphql.operation.name", name)
            span.set_attribute("graphql.operation.type", kind)
            if not ok:
                span.set_attribute("graphql.errors", True)
