"""Prometheus metrics: request counts and latencies by route template, served at /metrics.

Not public: with `PROBANT_METRICS_TOKEN` set, a scraper sends `Authorization: Bearer <token>`;
without it, production does not serve them at all and development serves them openly.
"""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
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


def observe(*, method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


async def metrics(request: Request) -> Response:
    """The process's metrics in the Prometheus text format, to whoever holds the token."""
    settings = request.app.state.runtime.settings
    token = settings.metrics_token
    if token is None:
        if settings.is_production:
            return Response(status_code=404)
    elif not _bearer_matches(request, token.get_secret_value()):
        return Response(status_code=401, headers={"www-authenticate": 'Bearer realm="metrics"'})
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request: Request, token: str) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode(), token.encode()
    )
