"""The Stripe client, pointed at `STRIPE_API_BASE` when set (tests run a local fake Stripe)."""

from __future__ import annotations

import json
from typing import Any

import stripe

from probant_platform.billing.errors import PaymentProviderError
from probant_platform.config import Settings

WEBHOOK_TOLERANCE_SECONDS = 300


def client(settings: Settings) -> stripe.StripeClient:
    """A client for the configured account; requires `STRIPE_SECRET_KEY`."""
    if settings.stripe_secret_key is None:
        raise PaymentProviderError()
    bases: dict[str, str] = {}
    if settings.stripe_api_base:
        bases["api"] = settings.stripe_api_base.rstrip("/")
    return stripe.StripeClient(
        settings.stripe_secret_key.get_secret_value(),
        base_addresses=bases,  # type: ignore[arg-type]
        http_client=stripe.HTTPXClient(timeout=20),
        max_network_retries=2,
    )


def as_dict(obj: Any) -> dict[str, Any]:
    """A Stripe object as plain JSON data."""
    if isinstance(obj, dict) and not isinstance(obj, stripe.StripeObject):
        return obj
    result: dict[str, Any] = obj.to_dict()
    return result


def construct_event(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The verified event; raises `stripe.SignatureVerificationError` or `ValueError`."""
    secret = settings.stripe_webhook_secret
    if secret is None or not signature:
        raise stripe.SignatureVerificationError("missing signature or secret", signature)
    stripe.Webhook.construct_event(
        payload.decode("utf-8"),
        signature,
        secret.get_secret_value(),
        tolerance=WEBHOOK_TOLERANCE_SECONDS,
    )
    event: dict[str, Any] = json.loads(payload)
    return event
