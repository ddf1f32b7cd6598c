"""`GET /downloads/{org}/{deposit}/certificate.pdf|export.zip?expires=&signature=`.

The signed link (handed out by GraphQL to whoever may see the deposit) is the permission.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from probant_platform.db import TenantScope
from probant_platform.evidence.models import Deposit, DepositStatus
from probant_platform.integrity.certificates import report_in_language
from probant_platform.integrity.export import write_export
from probant_platform.integrity.links import link_is_valid
from probant_platform.integrity.models import Certificate
from probant_platform.integrity.renewals import newest_version
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


async def _report(
    session: AsyncSession, deposit_id: uuid.UUID
) -> tuple[Certificate, Deposit] | None:
    found = (
        await session.execute(select(Certificate).where(Certificate.deposit_id == deposit_id))
    ).scalar_one_or_none()
    deposit = await session.get(Deposit, deposit_id)
    return None if found is None or deposit is None else (found, deposit)


def _pdf(body: bytes | AsyncIterator[bytes], filename: str) -> Response:
    headers = {
        "content-disposition": f'attachment; filename="{filename}"',
        "cache-control": "private, no-store",
    }
    if isinstance(body, bytes):
        return Response(body, media_type="application/pdf", headers=headers)
    return StreamingResponse(body, media_type="application/pdf", headers=headers)


async def certificate(request: Request) -> Response:
    target = _target(request, "certificate")
    if target is None:
        return Response(REFUSED, status_code=403)
    runtime = request.app.state.runtime
    async with runtime.database.unit_of_work(TenantScope(organisation_id=target[0])) as session:
        report = await _report(session, target[1])
        # The newest archived version: the sealed report plus any B-LTA renewals.
        newest = (
            await newest_version(session, certificate_id=report[0].id)
            if report is not None
            else None
        )
    if report is None or report[0].blob_key is None:
        return Response(status_code=404)
    store = store_for(runtime.settings)
    key = newest.blob_key if newest is not None else report[0].blob_key
    return _pdf(store.open_stream(key), f"{report[1].reference}.pdf")


async def certificate_in_language(request: Request) -> Response:
    """The report in the language asked for: the stored one when it was issued in it, else
    rendered and signed now (an admin's link; see GraphQL `certificateUrl(language:)`)."""
    language = request.path_params["language"]
    target = _target(request, f"certificate-{language}")
    if target is None:
        return Response(REFUSED, status_code=403)
    runtime = request.app.state.runtime
    async with runtime.database.unit_of_work(TenantScope(organisation_id=target[0])) as session:
        report = await _report(session, target[1])
        if report is None:
            return Response(status_code=404)
        issued, deposit = report
        filename = f"{deposit.reference}.{language}.pdf"
        if issued.locale == language and issued.blob_key is not None:
            return _pdf(store_for(runtime.settings).open_stream(issued.blob_key), filename)
        pdf = await report_in_language(
            session=session, settings=runtime.settings, deposit=deposit, locale=language
        )
    return Response(status_code=404) if pdf is None else _pdf(pdf, filename)


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
        Route(f"{base}/certificate.{{language:str}}.pdf", certificate_in_language, methods=["GET"]),
        Route(f"{base}/export.zip", export, methods=["GET"]),
    ]
