"""Builds the Starlette application: routes, middleware, lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from alembic.script import ScriptDirectory
from starlette.applications import Starlette
from starlette.routing import Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import probant_platform.wiring  # noqa: F401  (installs the cross-domain services)
from probant_platform.config import Settings, get_settings
from probant_platform.db import Database
from probant_platform.db.locate import application_url
from probant_platform.db.migrate import alembic_config
from probant_platform.logging import configure_logging
from probant_platform.observability import instrument_app
from probant_platform.runtime import Runtime, build_runtime
from probant_platform.web.body_limit import BodyLimit, bounded
from probant_platform.web.health import healthz, readyz
from probant_platform.web.metrics import metrics
from probant_platform.web.middleware import RequestContextMiddleware


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    configure_logs: bool = True,
) -> Starlette:
    """The ASGI app. Tests pass their own `database`; otherwise one is opened from settings."""
    from probant_graphql.schema import build_schema
    from probant_graphql.view import ProbantGraphQL
    from probant_platform.web.billing import billing_routes
    from probant_platform.web.capture_tokens import MAX_BODY, mint
    from probant_platform.web.cors import WidgetCorsMiddleware
    from probant_platform.web.devchain_rpc import rpc as devchain_rpc
    from probant_platform.web.downloads import download_routes
    from probant_platform.web.explorer import ExplorerFiles, explorer_routes
    from probant_platform.web.media import media
    from probant_platform.web.oauth import oauth_routes
    from probant_platform.web.office_documents import office_document
    from probant_platform.web.persisted import PersistedQueries
    from probant_platform.web.unsubscribe import unsubscribe_routes
    from probant_platform.web.uploads import upload
    from probant_platform.web.verify import LOOKUPS_PER_MINUTE, SlidingWindowLimiter, verify_routes
    from probant_platform.web.webapp import webapp_routes
    from probant_platform.web.widget import widget_routes

    settings = settings or get_settings()
    if configure_logs:
        configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database or Database(
            application_url(settings), pool_size=settings.db_pool_size, pre_ping=False
        )
        app.state.runtime = build_runtime(settings, db)
        if database is None:
            # Serving: what start-up built (schema, mappers, enforcer) lives as long as the
            # process, so the cyclic collector stops re-scanning it on every full collection
            # (and uvicorn workers keep sharing those pages).
            gc.freeze()
        try:
            yield
        finally:
            if database is None:
                await db.dispose()

    # The explorer (GraphiQL) is on wherever introspection is: development, or a sandbox.
    introspection = (
        not settings.is_production
        if settings.graphql_introspection is None
        else settings.graphql_introspection
    )
    explorer = ExplorerFiles(settings.graphiql_dist_dir) if introspection else None
    # The body limit comes first: persisted-query resolution reads the body.
    graphql_app = BodyLimit(
        PersistedQueries(
            ProbantGraphQL(
                build_schema(
                    production=settings.is_production,
                    introspection=settings.graphql_introspection,
                ),
                explorer=explorer,
            )
        ),
        max_bytes=settings.graphql_max_body_bytes,
    )
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/uploads/{item_id}", upload, methods=["PUT"]),
            Route("/media/{organisation_id}/{item_id}", media, methods=["GET"]),
            Route(
                "/office-documents/{organisation_id}/{document_id}",
                office_document,
                methods=["GET"],
            ),
            Route("/api/v1/capture-tokens", bounded(mint, max_bytes=MAX_BODY), methods=["POST"]),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            Route("/dev-chain/rpc", devchain_rpc, methods=["POST"]),
            *explorer_routes(explorer),
            *verify_routes(),
            *oauth_routes(),
            *billing_routes(),
            *download_routes(),
            *unsubscribe_routes(),
            *widget_routes(settings.widget_dist_dir),
            *webapp_routes(settings.app_dist_dir),
        ],
        lifespan=lifespan,
    )
    app.state.verify_limiter = SlidingWindowLimiter(LOOKUPS_PER_MINUTE)
    app.state.migration_heads = frozenset(
        ScriptDirectory.from_config(alembic_config("postgresql://")).get_heads()
    )
    if database is not None:
        app.state.runtime = build_runtime(settings, database)
    instrument_app(app)
    app.add_middleware(WidgetCorsMiddleware)
    app.add_middleware(RequestContextMiddleware, production=settings.is_production)
    # Outermost: every layer below (logs, lockouts, rate limits, audit, `Secure` cookies)
    # sees the client's address and scheme, taken from X-Forwarded-* only when the peer is
    # one of our proxies; uvicorn's own handling is off (see `probant serve`).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_networks)
    return app


def runtime_of(app: Starlette) -> Runtime:
    runtime: Runtime = app.state.runtime
    return runtime
