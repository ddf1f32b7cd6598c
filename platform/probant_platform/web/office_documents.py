"""`GET /office-documents/{organisation}/{document}?expires=&signature=`: a signed PDF."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from probant_platform.bailiffs.links import verify
from probant_platform.bailiffs.models import OfficeDocument
from probant_platform.db import TenantScope
from probant_platform.storage import store_for


async def office_document(request: Request) -> Response:
    runtime = request.app.state.runtime
    try:
        organisation_id = uuid.UUID(request.path_params["organisation_id"])
        document_id = uuid.UUID(request.path_params["document_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return Response(status_code=404)
    if not verify(
        runtime.settings,
        organisation_id=organisation_id,
        document_id=document_id,
        expires=expires,
        signature=request.query_params.get("signature", ""),
    ):
        return Response("Lien expiré ou invalide / Expired or invalid link", status_code=403)
    async with runtime.database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        document = await s.get(OfficeDocument, document_id)
    store = store_for(runtime.settings)
    if document is None or not await store.exists(document.blob_key):
        return Response(status_code=404)
    headers = {
        "cache-control": "private, max-age=300",
        "content-disposition": f'attachment; filename="{document.filename}"',
        "x-content-sha256": document.sha256,
    }
    return StreamingResponse(
        store.open_stream(document.blob_key), media_type="application/pdf", headers=headers
    )
