"""Attack suite fixtures: apps in a chosen mode, clients that come from a chosen address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.config import Settings
from probant_platform.db import Database


@pytest.fixture
def make_app(settings: Settings, database: Database) -> AppFactory:
    """`make_app(PROBANT_ENV="production", …)`: the app with these settings changed."""
    from probant_platform.web.app import create_app

    def make(*, on: Database | None = None, **overrides: Any) -> Any:
        values = {**settings.model_dump(by_alias=True), **overrides}
        return create_app(
            Settings(_env_file=None, **values),  # type: ignore[call-arg]
            database=on or database,
            configure_logs=False,
        )

    return make


@pytest.fixture
async def make_client() -> AsyncIterator[ClientFactory]:
    """`make_client(app, peer="10.0.0.5")`: a client whose TCP peer is `peer`."""
    clients: list[httpx.AsyncClient] = []

    def make(app: Any, *, peer: str = "127.0.0.1", **kwargs: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(peer, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver", **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
