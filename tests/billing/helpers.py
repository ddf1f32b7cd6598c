"""Shared pieces of the billing tests: the Stripe webhook secret, a local Stripe stand-in and
settings pointing at it (fixtures the billing conftest, and other folders' tests, import)."""

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from tests.billing.fake_stripe import FakeStripe, fake_stripe

from probant_platform.config import Settings

STRIPE_WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_api() -> Iterator[tuple[FakeStripe, str]]:
    with fake_stripe() as running:
        yield running


@pytest.fixture
def stripe_settings(settings: Settings, stripe_api: tuple[FakeStripe, str]) -> Settings:
    return settings.model_copy(
        update={
            "stripe_secret_key": SecretStr("sk_test_probant"),
            "stripe_webhook_secret": SecretStr(STRIPE_WEBHOOK_SECRET),
            "stripe_api_base": stripe_api[1],
        }
    )
