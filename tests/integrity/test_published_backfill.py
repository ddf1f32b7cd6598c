"""Signed PDFs issued before the /verify register existed are registered by the daily job.

A certified report and an attestation stored the way they were before migration 0840 (no
row in `published_documents`) are unknown to /verify; after the job they are recognised,
with the signer named from the PDF's own signature certificate.
"""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from collections.abc import AsyncIterator

import httpx
from pypdf import PdfWriter
from tests.bailiffs.helpers import make_office
from tests.integrity.helpers import sealed_deposit

from probant_platform.bailiffs.models import DocumentKind, OfficeDocument
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.documents import pki
from probant_platform.documents.signing import sign_pdf_async
from probant_platform.integrity.models import Certificate
from probant_platform.jobs import job_app
from probant_platform.storage import store_for


async def _signed(signer: pki.Signer, title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return await sign_pdf_async(out.getvalue(), signer)


async def _store(settings: Settings, pdf: bytes) -> str:
    async def once() -> AsyncIterator[bytes]:
        yield pdf

    blob = await store_for(settings).put_stream(
        chunks=once(), max_bytes=10_000_000, expected_sha256=None
    )
    return str(blob.key)


async def _lookup(client: httpx.AsyncClient, pdf: bytes) -> dict[str, object]:
    response = await client.get(
        "/api/v1/verify", params={"sha256": hashlib.sha256(pdf).hexdigest(), "lang": "en"}
    )
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


async def test_documents_issued_before_the_register_are_recognised_after_the_job(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    sealed = await sealed_deposit(database, client, photos=1)
    office = await make_office(database, name="Étude Ancienne")
    platform = pki.platform_signer(settings)
    office_signer = pki.issue_office_certificate(settings, office_name=office.name, email=None)
    report = await _signed(platform, f"Rapport {sealed.reference}")
    attestation = await _signed(office_signer, f"Attestation {sealed.reference}")
    scope = TenantScope(organisation_id=sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        session.add(
            Certificate(
                deposit_id=sealed.deposit_id,
                organisation_id=sealed.owner.organisation_id,
                locale="fr",
                blob_key=await _store(settings, report),
                pdf_sha256=hashlib.sha256(report).hexdigest(),
                size=len(report),
                signer_fingerprint=platform.fingerprint,
                created_at=utcnow(),
            )
        )
        session.add(
            OfficeDocument(
                organisation_id=sealed.owner.organisation_id,
                office_id=office.office_id,
                kind=DocumentKind.ATTESTATION,
                subject_id=uuid.uuid4(),
                deposit_id=sealed.deposit_id,
                filename="attestation.pdf",
                blob_key=await _store(settings, attestation),
                sha256=hashlib.sha256(attestation).hexdigest(),
                size=len(attestation),
                signer_fingerprint=office_signer.fingerprint,
                created_at=utcnow(),
            )
        )
    before = [await _lookup(client, pdf) for pdf in (report, attestation)]

    job = job_app.tasks["integrity.backfill_published"].func
    await job(timestamp=int(time.time()))
    report_found, attestation_found = [await _lookup(client, pdf) for pdf in (report, attestation)]
    await job(timestamp=int(time.time()))  # nothing left to do: registered once
    again = await _lookup(client, report)

    assert [b["found"] for b in before] == [False, False]
    [report_doc] = report_found["documents"]  # type: ignore[misc]
    assert report_doc["kind"] == "CERTIFIED_REPORT"
    assert report_doc["reference"] == sealed.reference
    assert report_doc["signed_by"] == platform.common_name
    assert report_doc["label"] == "Certified report"
    [attestation_doc] = attestation_found["documents"]  # type: ignore[misc]
    assert attestation_doc["kind"] == "ATTESTATION"
    assert attestation_doc["signed_by"] == "Étude Ancienne"
    assert attestation_doc["signer_certificate_sha256"] == office_signer.fingerprint
    assert again["documents"] == report_found["documents"]


def test_the_backfill_runs_daily_on_its_own() -> None:
    periodic = {t.task.name: t.cron for t in job_app.periodic_registry.periodic_tasks.values()}
    assert periodic["integrity.backfill_published"] == "17 3 * * *"
