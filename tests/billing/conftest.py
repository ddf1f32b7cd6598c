"""Billing tests talk to a local fake Stripe; the app under test is configured for Stripe."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from tests.billing.fake_stripe import WEBHOOK_SECRET, FakeStripe, build_app
from tests.e2e.live import serve

from probant_platform.config import Settings
from probant_platform.db import Database


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    with serve(build_app(fake)) as origin:
        yield fake, origin


@pytest.fixture
def fake_stripe(fake_stripe_server: tuple[FakeStripe, str]) -> FakeStripe:
    fake, _ = fake_stripe_server
    fake.reset()
    return fake


@pytest.fixture
def stripe_settings(settings: Settings, fake_stripe_server: tuple[FakeStripe, str]) -> Settings:
    return settings.model_copy(
        update={
            "stripe_secret_key": SecretStr("sk_test_probant"),
            "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "stripe_api_base": fake_stripe_server[1],
        }
    )


@pytest.fixture
def stripe_app(stripe_settings: Settings, database: Database) -> Any:
    from probant_platform.web.app import create_app

    return create_app(stripe_settings, database=database, configure_logs=False)


@pytest.fixture
async def stripe_client_factory(stripe_app: Any) -> AsyncIterator[Callable[[], httpx.AsyncClient]]:
    """Clients of the Stripe-configured app, one per person in a test."""
    clients: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        made = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=stripe_app), base_url="http://testserver"
        )
        clients.append(made)
        return made

    yield make
    for made in clients:
        await made.aclose()
