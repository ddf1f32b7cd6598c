"""Billing routes: Stripe's webhook, receipts, and the page a checkout returns to."""

from __future__ import annotations

import asyncio
import uuid

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from probant_platform.billing import webhooks
from probant_platform.billing.models import Purchase, PurchaseStatus
from probant_platform.billing.receipts import (
    receipt_number,
    render_receipt,
    sign_receipt,
    verify_link,
)
from probant_platform.db import TenantScope
from probant_platform.web.body_limit import bounded
from probant_tenants.models import Organisation

log = structlog.get_logger(__name__)

MAX_WEBHOOK_BYTES = 512 * 1024


async def stripe_webhook(request: Request) -> Response:
    """`POST /webhooks/stripe`: 400 unless signed by Stripe with our secret; then once."""
    runtime = request.app.state.runtime
    payload = await request.body()  # bounded by the route (MAX_WEBHOOK_BYTES)
    try:
        event = webhooks.verify(runtime.settings, payload, request.headers.get("stripe-signature"))
    except webhooks.BadSignature:
        log.warning("billing.webhook_bad_signature")
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    outcome = await webhooks.handle(
        database=runtime.database, settings=runtime.settings, event=event
    )
    return JSONResponse({"received": True, "outcome": outcome})


async def receipt(request: Request) -> Response:
    """`GET /billing/receipts/{organisation}/{purchase}?expires=&signature=`: the PDF."""
    runtime = request.app.state.runtime
    try:
        organisation_id = uuid.UUID(request.path_params["organisation_id"])
        purchase_id = uuid.UUID(request.path_params["purchase_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return Response(status_code=404)
    if not verify_link(
        runtime.settings,
        organisation_id=organisation_id,
        purchase_id=purchase_id,
        expires=expires,
        signature=request.query_params.get("signature", ""),
    ):
        return Response("Lien expiré ou invalide / Expired or invalid link", status_code=403)
    scope = TenantScope(organisation_id=organisation_id)
    async with runtime.database.unit_of_work(scope) as session:
        purchase = await session.get(Purchase, purchase_id)
        organisation = await session.get(Organisation, organisation_id)
        if purchase is None or organisation is None or purchase.status is not PurchaseStatus.PAID:
            return Response(status_code=404)
        name = organisation.name
    locale = "en" if request.query_params.get("lang") == "en" else "fr"
    pdf = await asyncio.to_thread(render_receipt, purchase, organisation_name=name, locale=locale)
    pdf = await sign_receipt(runtime.settings, pdf, locale=locale)
    number = receipt_number(purchase)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{number}.pdf"',
            "cache-control": "private, no-store",
        },
    )


async def checkout_return(request: Request) -> Response:
    """Where a checkout sends the browser back: the web app's return page, which shows the new
    balance once the payment is confirmed (or, after a cancellation, what to do next)."""
    target = "/app" + request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=303)


def billing_routes() -> list[Route]:
    return [
        Route(
            "/webhooks/stripe",
            bounded(stripe_webhook, max_bytes=MAX_WEBHOOK_BYTES),
            methods=["POST"],
        ),
        Route("/billing/receipts/{organisation_id}/{purchase_id}", receipt, methods=["GET"]),
        Route("/billing/completed", checkout_return, methods=["GET"]),
        Route("/billing/cancelled", checkout_return, methods=["GET"]),
    ]
