"""Prometheus metrics, served at /metrics.

Per process: HTTP requests and latencies by route template, and the counters of
`probant_platform.observability_metrics` (GraphQL operations, jobs, ledger). Read from the
database at each scrape, so any API pod tells the same: job queue depth and age, anchoring lag.

Not public: with `PROBANT_METRICS_TOKEN` set, a scraper sends `Authorization: Bearer <token>`;
without it, production does not serve them at all and development serves them openly.
"""

from __future__ import annotations

import hmac
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

REQUESTS = Counter(
    "probant_http_requests_total", "HTTP requests handled.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "probant_http_request_duration_seconds",
    "Time to handle an HTTP request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUEUE_DEPTH = Gauge(
    "probant_job_queue_depth", "Jobs waiting (todo) or running (doing).", ["queue", "status"]
)
QUEUE_AGE = Gauge(
    "probant_job_queue_oldest_age_seconds",
    "How long the oldest job due to run has waited, by queue (0 when none waits).",
    ["queue"],
)
ANCHORING_LAG = Gauge(
    "probant_anchoring_lag_seconds",
    "Age of the oldest sealed item whose batch root is not yet confirmed on chain (0: none).",
)
UNANCHORED_ITEMS = Gauge(
    "probant_unanchored_items", "Sealed items whose batch root is not yet confirmed on chain."
)

_QUEUE_SQL = text(
    """
    SELECT j.queue_name, j.status::text, count(*),
           coalesce(max(extract(epoch FROM clock_timestamp() - coalesce(j.scheduled_at, d.at)))
                    FILTER (WHERE j.status = 'todo'
                            AND coalesce(j.scheduled_at, d.at) <= clock_timestamp()), 0)
    FROM procrastinate_jobs j
    LEFT JOIN LATERAL (
        SELECT min(e.at) AS at FROM procrastinate_events e
        WHERE e.job_id = j.id AND e.type = 'deferred'
    ) d ON true
    WHERE j.status IN ('todo', 'doing')
    GROUP BY j.queue_name, j.status
    """
)
_ANCHORING_SQL = text(
    """
    SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(l.joined_at)), 0)
    FROM integrity_leaves l
    WHERE l.batch_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM integrity_anchors a
        WHERE a.batch_id = l.batch_id AND a.status = 'CONFIRMED'
    )
    """
)


def observe(*, method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


async def refresh_database_gauges(database: Any) -> None:
    """Set the queue and anchoring gauges from the database (platform-wide tables only)."""
    async with database.session() as session:
        queues = (await session.execute(_QUEUE_SQL)).all()
        unanchored, lag = (await session.execute(_ANCHORING_SQL)).one()
    ages: dict[str, float] = {}
    QUEUE_DEPTH.clear()
    for queue, status, count, age in queues:
        QUEUE_DEPTH.labels(queue, status).set(count)
        ages[queue] = max(float(age), ages.get(queue, 0.0))
    QUEUE_AGE.clear()
    for queue, age in ages.items():
        QUEUE_AGE.labels(queue).set(age)
    UNANCHORED_ITEMS.set(unanchored)
    ANCHORING_LAG.set(float(lag))


async def metrics(request: Request) -> Response:
    """The process's metrics in the Prometheus text format, to whoever holds the token."""
    settings = request.app.state.runtime.settings
    token = settings.metrics_token
    if token is None:
        if settings.is_production:
            return Response(status_code=404)
    elif not _bearer_matches(request, token.get_secret_value()):
        return Response(status_code=401, headers={"www-authenticate": 'Bearer realm="metrics"'})
    await refresh_database_gauges(request.app.state.runtime.database)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request: Request, token: str) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode(), token.encode()
    )
