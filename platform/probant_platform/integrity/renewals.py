"""The B-LTA renewal job: archived signed PDFs get a new document timestamp before the
certificate of their newest timestamp expires.

What is stored (docs/evidence-storage.md): the PDF as signed stays where it is and keeps
its SHA-256 — the hash the proof bundle, the public register and the emails name. The job
records it as version 0 in `pdf_versions` (with when its newest timestamp stops being
checkable), and each renewal as the next version, its own blob and hash. A renewal is an
incremental update, so every version begins with the exact bytes of the sealed original:
`probant verify --pdf` accepts any version by finding the bundle's hash on that prefix, and
pyHanko's validators check the appended document timestamps.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.documents import renewal
from probant_platform.documents.timestamps import LongTerm, long_term_async
from probant_platform.integrity import issued_documents, published, timestamps
from probant_platform.integrity.models import Certificate, PdfVersion
from probant_platform.storage import BlobStore, collection

log = structlog.get_logger(__name__)

TENANTS_PER_RUN = 500
MAX_PDF_BYTES = 64 * 1024 * 1024


@dataclass
class RenewalRun:
    measured: int = 0
    """Documents seen for the first time: their version 0 recorded."""
    renewed: list[uuid.UUID] = field(default_factory=list)
    """The new versions written."""
    failed: int = 0
    """Documents that could not be measured or renewed this run (logged; retried next)."""
    retimestamped: list[uuid.UUID] = field(default_factory=list)
    """Batches given a token under `PROBANT_ROOT_RETIMESTAMP_HASH` (none when unset)."""


async def _read(store: BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.open_stream(key)])


async def _once(data: bytes) -> Any:
    yield data


async def _versions(
    session: AsyncSession,
) -> tuple[list[tuple[str, uuid.UUID, str, str, int]], dict[tuple[str, uuid.UUID], PdfVersion]]:
    """The tenant's signed PDFs (kind, id, blob key, sha256, size) and each one's newest
    version, if any."""
    certificates = (
        await session.execute(
            select(Certificate.id, Certificate.blob_key, Certificate.pdf_sha256, Certificate.size)
        )
    ).all()
    documents = await issued_documents.source().signed_pdfs(session=session)
    pdfs = [("certificate", r[0], r[1], r[2], r[3]) for r in certificates if r[1]] + [
        ("office_document", d.id, d.blob_key, d.sha256, d.size) for d in documents
    ]
    newest: dict[tuple[str, uuid.UUID], PdfVersion] = {}
    for version in (
        await session.execute(select(PdfVersion).order_by(PdfVersion.version))
    ).scalars():
        if version.certificate_id is not None:
            newest[("certificate", version.certificate_id)] = version
        elif version.office_document_id is not None:
            newest[("office_document", version.office_document_id)] = version
    return pdfs, newest


def _owner(kind: str, document_id: uuid.UUID) -> dict[str, uuid.UUID]:
    return {"certificate_id" if kind == "certificate" else "office_document_id": document_id}


async def renew_tenant(
    *,
    session: AsyncSession,
    store: BlobStore,
    long_term: LongTerm,
    organisation_id: uuid.UUID,
    settings: Settings,
    now: datetime,
    run: RenewalRun,
) -> None:
    """Measure the tenant's new PDFs and renew those whose newest timestamp expires within
    the horizon (each document at most once a run)."""
    due_before = now + renewal.renewal_horizon(settings)
    pdfs, newest = await _versions(session)
    for kind, document_id, blob_key, sha256, size in pdfs:
        try:
            # One document's failure (a blob gone, a TSA down) leaves the others to this run
            # and itself to the next.
            async with session.begin_nested():
                await _renew_one(
                    session=session,
                    store=store,
                    long_term=long_term,
                    organisation_id=organisation_id,
                    document=(kind, document_id, blob_key, sha256, size),
                    latest=newest.get((kind, document_id)),
                    now=now,
                    due_before=due_before,
                    run=run,
                )
        except Exception as exc:
            run.failed += 1
            log.warning("pdf.renewal_failed", kind=kind, document=str(document_id), error=repr(exc))


async def _renew_one(
    *,
    session: AsyncSession,
    store: BlobStore,
    long_term: LongTerm,
    organisation_id: uuid.UUID,
    document: tuple[str, uuid.UUID, str, str, int],
    latest: PdfVersion | None,
    now: datetime,
    due_before: datetime,
    run: RenewalRun,
) -> None:
    kind, document_id, blob_key, sha256, size = document
    if latest is None:
        original = await _read(store, blob_key)
        latest = PdfVersion(
            organisation_id=organisation_id,
            **_owner(kind, document_id),
            version=0,
            blob_key=blob_key,
            sha256=sha256,
            size=size,
            valid_until=await asyncio.to_thread(renewal.validation_horizon, original),
            created_at=now,
        )
        session.add(latest)
        await session.flush()
        run.measured += 1
    if latest.valid_until is None or latest.valid_until > due_before:
        return
    pdf = await _read(store, latest.blob_key)
    renewed = await asyncio.to_thread(renewal.extend, pdf, long_term)
    blob = await store.put_stream(
        chunks=_once(renewed), max_bytes=MAX_PDF_BYTES, expected_sha256=None
    )
    await collection.hold(session, store, blob.key)
    version = PdfVersion(
        organisation_id=organisation_id,
        **_owner(kind, document_id),
        version=latest.version + 1,
        blob_key=blob.key,
        sha256=hashlib.sha256(renewed).hexdigest(),
        size=len(renewed),
        valid_until=await asyncio.to_thread(renewal.validation_horizon, renewed),
        created_at=now,
    )
    session.add(version)
    await session.flush()
    await _publish(session, original_sha256=sha256, version=version)
    run.renewed.append(version.id)
    log.info(
        "pdf.renewed",
        kind=kind,
        document=str(document_id),
        version=version.version,
        valid_until=version.valid_until.isoformat() if version.valid_until else None,
    )


async def _publish(session: AsyncSession, *, original_sha256: str, version: PdfVersion) -> None:
    """Register the renewed version in the public register under the original's facts, so
    that /verify recognises the renewed file too (the export and the archive hand it out)."""
    found = await published.by_sha256(session=session, sha256=original_sha256)
    if not found:
        # Not registered yet (issued before the register; the backfill job comes first).
        log.warning("pdf.renewal_unpublished", sha256=original_sha256, version=version.version)
        return
    original = found[0]
    await published.register_pdf(
        session=session,
        sha256=version.sha256,
        kind=original.kind,
        reference=original.reference,
        locale=original.locale,
        signer_name=original.signer_name,
        signer_fingerprint=original.signer_fingerprint,
        issued_at=version.created_at,
        renewal_of=original_sha256,
        renewal=version.version,
    )


async def run_renewals(
    *, database: Database, settings: Settings, store: BlobStore, now: datetime | None = None
) -> RenewalRun:
    """Batch roots re-timestamped under a stronger hash when configured, then one pass over
    every tenant holding a PDF never measured or due for renewal."""
    moment = now or utcnow()
    due_before = moment + renewal.renewal_horizon(settings)
    run = RenewalRun(
        retimestamped=await timestamps.retimestamp_batches(database=database, settings=settings)
    )
    async with database.unit_of_work() as session:
        tenants = (
            (
                await session.execute(
                    text("SELECT * FROM probant_pdf_renewals_due(:before, :limit)"),
                    {"before": due_before, "limit": TENANTS_PER_RUN},
                )
            )
            .scalars()
            .all()
        )
    if not tenants:
        return run
    long_term = await long_term_async(settings)
    for organisation_id in tenants:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            await renew_tenant(
                session=session,
                store=store,
                long_term=long_term,
                organisation_id=organisation_id,
                settings=settings,
                now=moment,
                run=run,
            )
    return run


async def newest_version(
    session: AsyncSession,
    *,
    certificate_id: uuid.UUID | None = None,
    office_document_id: uuid.UUID | None = None,
) -> PdfVersion | None:
    """The newest archived version of a document (None before the job first saw it)."""
    query = select(PdfVersion).order_by(PdfVersion.version.desc()).limit(1)
    if certificate_id is not None:
        query = query.where(PdfVersion.certificate_id == certificate_id)
    else:
        query = query.where(PdfVersion.office_document_id == office_document_id)
    return (await session.execute(query)).scalar_one_or_none()
