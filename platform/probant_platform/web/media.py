"""`GET /media/{organisation}/{item}?expires=&signature=`: streams an original to its bearer."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from probant_platform.db import TenantScope
from probant_platform.documents.pki import SigningUnavailable
from probant_platform.evidence import credentials
from probant_platform.evidence.models import Deposit, DepositStatus, EvidenceItem
from probant_platform.integrity.bundle import proof_bundle
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
    if variant == "credentials":
        return await _credentialed(runtime, organisation_id, item_id)
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


async def _credentialed(runtime: Any, organisation_id: uuid.UUID, item_id: uuid.UUID) -> Response:
    """A C2PA-credentialed copy of a sealed photo or video, made now (as in the export),
    stating the chain anchor when the item's batch is anchored."""
    store = store_for(runtime.settings)
    async with runtime.database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        item = await s.get(EvidenceItem, item_id)
        deposit = await s.get(Deposit, item.deposit_id) if item is not None else None
        if (
            item is None
            or deposit is None
            or deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED)
            or item.blob_key is None
            or item.sha256 is None
            or item.media_type not in credentials.SUPPORTED
            or not await store.exists(item.blob_key)
        ):
            return Response(status_code=404)
        bundle = await proof_bundle(session=s, settings=runtime.settings, deposit=deposit)
    media = b"".join([chunk async for chunk in store.open_stream(item.blob_key)])
    anchor = credentials.anchor_facts(bundle, str(item.id))
    try:
        copy = await credentials.credentialed_copy_of(
            runtime.settings, deposit, item, media, anchor
        )
    except SigningUnavailable:
        return Response(status_code=404)
    return Response(
        copy,
        media_type=item.media_type or "application/octet-stream",
        headers={
            "cache-control": "private, no-store",
            "content-disposition": f'attachment; filename="{item.sha256[:12]}-c2pa"',
        },
    )
