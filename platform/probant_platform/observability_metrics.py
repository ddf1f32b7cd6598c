"""Counters of what the domain does: GraphQL operations by name, jobs, ledger transactions,
webhook delivery attempts.

Per process (each API and worker process keeps its own; Prometheus sums them). Served with
the HTTP metrics at /metrics (`probant_platform.web.metrics`).
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Histogram

GRAPHQL_OPERATIONS = Counter(
    "probant_graphql_operations_total",
    "GraphQL operations executed, by operation name, type and outcome (ok, error).",
    ["operation", "type", "outcome"],
)
GRAPHQL_LATENCY = Histogram(
    "probant_graphql_operation_duration_seconds",
    "Time to execute a GraphQL operation.",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOBS = Counter(
    "probant_jobs_total", "Background jobs run, by task and outcome.", ["task", "outcome"]
)
LEDGER_OPERATIONS = Counter(
    "probant_ledger_operations_total",
    "Ledger transactions written, by kind (counted when written, before their commit).",
    ["kind"],
)
WEBHOOK_DELIVERIES = Counter(
    "probant_webhook_deliveries_total",
    "Webhook delivery attempts, by outcome (delivered; refused: a non-2xx answer; failed: none).",
    ["outcome"],
)
WEBHOOK_LATENCY = Histogram(
    "probant_webhook_delivery_duration_seconds",
    "Time a partner's endpoint took to answer a delivery attempt.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# Operation names come from clients: only identifier-like ones, and a bounded set of them,
# become label values (each one is a time series).
_OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 300
_seen_operations: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _OPERATION_NAME.fullmatch(name):
        return "other"
    if name not in _seen_operations:
        if len(_seen_operations) >= MAX_OPERATION_NAMES:
            return "other"
        _seen_operations.add(name)
    return name


def observe_graphql(*, operation: str, kind: str, ok: bool, seconds: float) -> None:
    GRAPHQL_OPERATIONS.labels(operation, kind, "ok" if ok else "error").inc()
    GRAPHQL_LATENCY.labels(operation, kind).observe(seconds)


def observe_job(task: str, outcome: str) -> None:
    JOBS.labels(task, outcome).inc()


def observe_ledger(kind: str) -> None:
    LEDGER_OPERATIONS.labels(kind).inc()


def observe_webhook(*, status: int | None, latency_ms: int | None) -> None:
    outcome = "failed" if status is None else "refused"
    if status is not None and 200 <= status < 300:
        outcome = "delivered"
    WEBHOOK_DELIVERIES.labels(outcome).inc()
    if latency_ms is not None:
        WEBHOOK_LATENCY.observe(latency_ms / 1000)
