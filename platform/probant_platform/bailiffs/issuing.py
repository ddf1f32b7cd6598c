"""Drawing up an office's signed documents: render, sign with the office's key, store, record.

Runs in jobs, in a session scoped to the tenant *and* the office (the tenant's deposit, the
office's certificate). Issuing twice returns the first document.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform import urls
from probant_platform.bailiffs.certificates import Holder, office_signer
from probant_platform.bailiffs.constats import excluded_items
from probant_platform.bailiffs.directory import get_office
from probant_platform.bailiffs.models import (
    ConstatOrder,
    DocumentKind,
    OfficeDocument,
    Submission,
)
from probant_platform.bailiffs.pdfs import OfficeIdentity, attestation_pdf, constat_pdf
from probant_platform.config import Settings
from probant_platform.db import utcnow
from probant_platform.documents.pki import Signer
from probant_platform.documents.signing import sign_pdf_async
from probant_platform.documents.timestamps import long_term_async
from probant_platform.evidence.models import Deposit
from probant_platform.integrity import published
from probant_platform.integrity.issued_documents import IssuedFile
from probant_platform.integrity.models import PublishedKind
from probant_platform.storage import store_for
from probant_tenants.models import Organisation

MAX_PDF_BYTES = 50 * 1024 * 1024


async def _existing(
    session: AsyncSession, kind: DocumentKind, subject_id: object
) -> OfficeDocument | None:
    found = await session.execute(
        select(OfficeDocument).where(
            OfficeDocument.kind == kind, OfficeDocument.subject_id == subject_id
        )
    )
    return found.scalar_one_or_none()


async def _store(
    session: AsyncSession,
    settings: Settings,
    *,
    pdf: bytes,
    kind: DocumentKind,
    subject_id: object,
    deposit: Deposit,
    office_id: object,
    filename: str,
    signer: Signer,
) -> OfficeDocument:
    async def body() -> AsyncIterator[bytes]:
        yield pdf

    blob = await store_for(settings).put_stream(
        chunks=body(), max_bytes=MAX_PDF_BYTES, expected_sha256=None
    )
    document = OfficeDocument(
        organisation_id=deposit.organisation_id,
        office_id=office_id,
        kind=kind,
        subject_id=subject_id,
        deposit_id=deposit.id,
        filename=filename,
        blob_key=blob.key,
        sha256=blob.sha256,
        size=blob.size,
        signer_fingerprint=signer.fingerprint,
        created_at=utcnow(),
    )
    session.add(document)
    await session.flush()
    await published.register_pdf(
        session=session,
        sha256=blob.sha256,
        kind=PublishedKind(kind.value),
        reference=deposit.reference,
        locale="fr",
        signer_name=signer.common_name,
        signer_fingerprint=signer.fingerprint,
        issued_at=document.created_at,
    )
    return document


async def issue_attestation(
    *, session: AsyncSession, settings: Settings, submission: Submission, deposit: Deposit
) -> tuple[OfficeDocument, bytes]:
    """The signed attestation de dépôt for an accepted (or partly accepted) submission."""
    store = store_for(settings)
    existing = await _existing(session, DocumentKind.ATTESTATION, submission.id)
    if existing is not None:
        return existing, await _read(store, existing.blob_key)
    office = await get_office(session=session, office_id=submission.office_id)
    signer = await office_signer(
        session=session,
        settings=settings,
        office_id=submission.office_id,
        office_name=office.organisation.name,
    )
    pdf = await attestation_pdf(
        session=session,
        office=OfficeIdentity(office.organisation, office.entry, signer.fingerprint),
        submission=submission,
        deposit=deposit,
        verify_url=urls.verify_url(settings.base_url, deposit.reference),
    )
    signed = await sign_pdf_async(
        pdf,
        signer,
        reason="Attestation de dépôt",
        long_term=await long_term_async(settings),
        location=office.organisation.city or None,
    )
    document = await _store(
        session,
        settings,
        pdf=signed,
        kind=DocumentKind.ATTESTATION,
        subject_id=submission.id,
        deposit=deposit,
        office_id=submission.office_id,
        filename=f"attestation-{deposit.reference}.pdf",
        signer=signer,
    )
    return document, signed


async def render_constat(
    *,
    session: AsyncSession,
    settings: Settings,
    order: ConstatOrder,
    deposit: Deposit,
    specimen: bool,
    when: datetime,
    fingerprint: str = "",
) -> bytes:
    office = await get_office(session=session, office_id=order.office_id)
    return await constat_pdf(
        session=session,
        office=OfficeIdentity(office.organisation, office.entry, fingerprint),
        order=order,
        deposit=deposit,
        excluded_item_ids=await excluded_items(session=session, deposit_id=deposit.id),
        verify_url=urls.verify_url(settings.base_url, deposit.reference),
        specimen=specimen,
        when=when,
    )


async def issue_constat(
    *, session: AsyncSession, settings: Settings, order: ConstatOrder, deposit: Deposit
) -> tuple[OfficeDocument, bytes]:
    """The signed PV de constat de dépôt for a validated order."""
    store = store_for(settings)
    existing = await _existing(session, DocumentKind.CONSTAT, order.id)
    if existing is not None:
        return existing, await _read(store, existing.blob_key)
    office = await get_office(session=session, office_id=order.office_id)
    assert order.validated_by_user_id is not None, "a PV is signed once validated"
    signer = await office_signer(
        session=session,
        settings=settings,
        office_id=order.office_id,
        office_name=office.organisation.name,
        holder=Holder(order.validated_by_user_id, order.validated_by_name or ""),
    )
    pdf = await render_constat(
        session=session,
        settings=settings,
        order=order,
        deposit=deposit,
        specimen=False,
        when=order.validated_at or utcnow(),
        fingerprint=signer.fingerprint,
    )
    signed = await sign_pdf_async(
        pdf,
        signer,
        reason="Procès-verbal de constat de dépôt",
        long_term=await long_term_async(settings),
        location=office.organisation.city or None,
    )
    document = await _store(
        session,
        settings,
        pdf=signed,
        kind=DocumentKind.CONSTAT,
        subject_id=order.id,
        deposit=deposit,
        office_id=order.office_id,
        filename=f"pv-constat-{deposit.reference}.pdf",
        signer=signer,
    )
    return document, signed


async def _read(store: object, key: str) -> bytes:
    chunks = [chunk async for chunk in store.open_stream(key)]  # type: ignore[attr-defined]
    return b"".join(chunks)


async def documents_for_bundle(
    *, session: AsyncSession, deposit_id: object
) -> list[dict[str, str]]:
    """What a proof bundle says of the office documents issued for a deposit, so that
    `probant verify --pdf` recognises an attestation or a PV as well as the certified report."""
    rows = await session.execute(
        select(OfficeDocument, Organisation.name)
        .join(Organisation, Organisation.id == OfficeDocument.office_id)
        .where(OfficeDocument.deposit_id == deposit_id)
        .order_by(OfficeDocument.created_at)
    )
    return [
        {
            "kind": document.kind.value,
            "office": office_name,
            "pdf_sha256": document.sha256,
            "signer_certificate_sha256": document.signer_fingerprint,
            "created_at": document.created_at.isoformat(),
        }
        for document, office_name in rows.all()
    ]


class OfficeDocumentsOfDeposit:
    """The bailiffs' side of `integrity.issued_documents`, installed by the wiring."""

    async def for_bundle(
        self, *, session: AsyncSession, deposit_id: uuid.UUID
    ) -> list[dict[str, str]]:
        return await documents_for_bundle(session=session, deposit_id=deposit_id)

    async def files(self, *, session: AsyncSession, deposit_id: uuid.UUID) -> list[IssuedFile]:
        rows = await session.scalars(
            select(OfficeDocument)
            .where(OfficeDocument.deposit_id == deposit_id)
            .order_by(OfficeDocument.created_at)
        )
        return [_issued(d) for d in rows.all()]

    async def signed_pdfs(self, *, session: AsyncSession) -> list[IssuedFile]:
        rows = await session.scalars(select(OfficeDocument).order_by(OfficeDocument.created_at))
        return [_issued(d) for d in rows.all()]


def _issued(document: OfficeDocument) -> IssuedFile:
    return IssuedFile(
        id=document.id,
        filename=document.filename,
        blob_key=document.blob_key,
        sha256=document.sha256,
        size=document.size,
    )
