"""`GET /receipts/{organisation}/{purchase}?expires=&signature=`: a purchase's PDF receipt."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from probant_platform.billing.models import Purchase
from probant_platform.billing.receipts import has_receipt, link_is_valid, receipt_pdf
from probant_platform.db import TenantScope


async def receipt(request: Request) -> Response:
    runtime = request.app.state.runtime
    try:
        organisation_id = uuid.UUID(request.path_params["organisation_id"])
        purchase_id = uuid.UUID(request.path_params["purchase_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return Response(status_code=404)
    if not link_is_valid(
        settings=runtime.settings,
        organisation_id=organisation_id,
        purchase_id=purchase_id,
        expires=expires,
        variant=request.query_params.get("variant", ""),
        signature=request.query_params.get("signature", ""),
    ):
        return Response("Lien expiré ou invalide / Expired or invalid link", status_code=403)
    scope = TenantScope(organisation_id=organisation_id)
    async with runtime.database.unit_of_work(scope) as session:
        purchase = await session.get(Purchase, purchase_id)
        name = (
            await session.execute(
                text("SELECT name FROM organisations WHERE id = :id"), {"id": organisation_id}
            )
        ).scalar_one_or_none()
    if purchase is None or name is None or not has_receipt(purchase):
        return Response(status_code=404)
    locale = "en" if request.query_params.get("lang") == "en" else "fr"
    pdf = await asyncio.to_thread(
        receipt_pdf, purchase=purchase, organisation_name=name, locale=locale
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'inline; filename="receipt-{purchase.external_id}.pdf"',
            "cache-control": "private, max-age=300",
        },
    )
