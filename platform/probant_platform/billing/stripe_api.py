"""The Stripe client, pointed at `STRIPE_API_BASE` when set (tests run a local fake Stripe)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import stripe

from probant_platform.billing.errors import PaymentProviderError
from probant_platform.config import Settings

WEBHOOK_TOLERANCE_SECONDS = 300


class PerRequestHTTPXClient(stripe.HTTPXClient):
    """stripe's httpx client, with a connection per request closed after it.

    A pooled client would outlive the event loop that opened it (one per request or test),
    and stripe 16 hands httpx the body as `data=bytes`, which httpx deprecates.
    """

    def _get_request_args_kwargs(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any
    ) -> Any:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs.pop("data", None)
        kwargs["content"] = post_data or b""
        return args, kwargs

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        args, kwargs = self._get_request_args_kwargs(method, url, headers, post_data)
        try:
            async with httpx.AsyncClient() as http:
                response = await http.request(*args, **kwargs)
        except Exception as exc:
            self._handle_request_error(exc)
        return response.content, response.status_code, response.headers


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
        http_client=PerRequestHTTPXClient(timeout=20),
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
