"""`POST /webhooks/stripe`: verify Stripe's signature on the raw body, then apply the event."""

from __future__ import annotations

import stripe
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from probant_platform.billing.stripe_api import construct_event
from probant_platform.billing.webhooks import StripeEvents

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 512 * 1024


async def stripe_webhook(request: Request) -> Response:
    runtime = request.app.state.runtime
    settings = runtime.settings
    if settings.stripe_secret_key is None or settings.stripe_webhook_secret is None:
        return Response(status_code=404)
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return Response(status_code=413)
    try:
        event = construct_event(settings, body, request.headers.get("stripe-signature"))
    except (stripe.SignatureVerificationError, ValueError):
        log.warning("billing.webhook_bad_signature")
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    outcome = await StripeEvents(settings=settings, database=runtime.database).handle(event)
    return JSONResponse({"received": True, "outcome": outcome.status})
