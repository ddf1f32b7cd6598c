"""`GET /downloads/{org}/{deposit}/certificate.pdf|export.zip?expires=&signature=`.

The signed link (handed out by GraphQL to whoever may see the deposit) is the permission.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from probant_platform.db import TenantScope
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.integrity.export import write_export
from probant_platform.integrity.links import link_is_valid
from probant_platform.integrity.models import Certificate
from probant_platform.storage import store_for

REFUSED = "Lien expiré ou invalide / Expired or invalid link"


def _target(request: Request, kind: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    try:
        organisation_id = uuid.UUID(request.path_params["organisation_id"])
        deposit_id = uuid.UUID(request.path_params["deposit_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return None
    valid = link_is_valid(
        request.app.state.runtime.settings,
        kind=kind,
        organisation_id=organisation_id,
        deposit_id=deposit_id,
        expires=expires,
        signature=request.query_params.get("signature", ""),
    )
    return (organisation_id, deposit_id) if valid else None


async def certificate(request: Request) -> Response:
    target = _target(request, "certificate")
    if target is None:
        return Response(REFUSED, status_code=403)
    runtime = request.app.state.runtime
    async with runtime.database.unit_of_work(TenantScope(organisation_id=target[0])) as session:
        found = (
            await session.execute(select(Certificate).where(Certificate.deposit_id == target[1]))
        ).scalar_one_or_none()
        deposit = await session.get(Deposit, target[1])
    if found is None or found.blob_key is None or deposit is None:
        return Response(status_code=404)
    store = store_for(runtime.settings)
    return StreamingResponse(
        store.open_stream(found.blob_key),
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{deposit.reference}.pdf"',
            "cache-control": "private, no-store",
        },
    )


async def export(request: Request) -> Response:
    target = _target(request, "export")
    if target is None:
        return Response(REFUSED, status_code=403)
    runtime = request.app.state.runtime
    store = store_for(runtime.settings)
    async with runtime.database.unit_of_work(TenantScope(organisation_id=target[0])) as session:
        deposit = await session.get(Deposit, target[1])
        if deposit is None or deposit.status in (DepositStatus.DRAFT, DepositStatus.DELETED):
            return Response(status_code=404)
        archive = await write_export(
            session=session, settings=runtime.settings, store=store, deposit=deposit
        )

    async def body() -> AsyncIterator[bytes]:
        try:
            while chunk := archive.read(1 << 20):
                yield chunk
        finally:
            archive.close()

    return StreamingResponse(
        body(),
        media_type="application/zip",
        headers={
            "content-disposition": f'attachment; filename="{deposit.reference}.zip"',
            "cache-control": "private, no-store",
        },
    )


def download_routes() -> list[Route]:
    base = "/downloads/{organisation_id}/{deposit_id}"
    return [
        Route(f"{base}/certificate.pdf", certificate, methods=["GET"]),
        Route(f"{base}/export.zip", export, methods=["GET"]),
    ]
