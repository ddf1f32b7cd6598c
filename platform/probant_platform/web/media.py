"""`GET /media/{organisation}/{item}?expires=&signature=`: streams an original to its bearer."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from probant_platform.db import TenantScope
from probant_platform.evidence.models import EvidenceItem
from probant_platform.storage import store_for
from probant_platform.storage.signing import verify


async def media(request: Request) -> Response:
    runtime = request.app.state.runtime
    try:
        organisation_id = uuid.UUID(request.path_params["organisation_id"])
        item_id = uuid.UUID(request.path_params["item_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return Response(status_code=404)
    secret = runtime.settings.derived_secret("media-urls")
    signature = request.query_params.get("signature", "")
    variant = request.query_params.get("variant", "original")
    if not verify(
        secret=secret,
        organisation_id=organisation_id,
        item_id=item_id,
        expires=expires,
        variant=variant,
        signature=signature,
    ):
        return Response("Lien expiré ou invalide / Expired or invalid link", status_code=403)
    async with runtime.database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        item = await s.get(EvidenceItem, item_id)
    store = store_for(runtime.settings)
    thumbnail = variant == "thumbnail"
    key = (item.thumbnail_key if thumbnail else item.blob_key) if item else None
    if item is None or item.blob_key is None or key is None or not await store.exists(key):
        return Response(status_code=404)
    headers = {"cache-control": "private, max-age=300"}
    if not thumbnail:
        headers["content-disposition"] = f'inline; filename="{item.sha256}"'
        headers["x-content-sha256"] = item.sha256 or ""
    media_type = "image/jpeg" if thumbnail else item.media_type or "application/octet-stream"
    return StreamingResponse(store.open_stream(key), media_type=media_type, headers=headers)
