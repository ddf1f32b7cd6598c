"""Registering on /verify the signed PDFs issued before `published_documents` existed.

Migration 0840 created the register of issued documents (certified reports, attestations,
PVs) but filled it only from then on: a report or office document issued earlier was not
recognised when dropped on /verify. This pass finds them (tenants named by the SECURITY
DEFINER function `probant_unpublished_documents`, migration 0930), reads each stored PDF and
registers it with the signer's name taken from its embedded signature certificate. It runs
daily as a job (idempotent: registered documents are not looked at again; a PDF whose bytes
are gone is skipped and logged).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import exists, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.bailiffs.models import OfficeDocument
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.evidence.models import Deposit
from probant_platform.integrity.models import Certificate, PublishedDocument, PublishedKind
from probant_platform.integrity.published import register_pdf
from probant_platform.storage import store_for

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class _Missing:
    sha256: str
    kind: PublishedKind
    reference: str
    locale: str
    blob_key: str
    signer_fingerprint: str
    issued_at: datetime


def signer_name(pdf: bytes) -> str | None:
    """The common name of the certificate that signed the PDF's first signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
        if not signatures:
            return None
        name = signatures[0].signer_cert.subject.native.get("common_name")
    except Exception:  # a damaged file: nothing to register
        return None
    return str(name) if name else None


async def _missing(session: AsyncSession) -> list[_Missing]:
    unpublished_report = ~exists().where(PublishedDocument.sha256 == Certificate.pdf_sha256)
    reports = await session.execute(
        select(Certificate, Deposit.reference)
        .join(Deposit, Deposit.id == Certificate.deposit_id)
        .where(Certificate.blob_key.is_not(None), unpublished_report)
    )
    found = [
        _Missing(
            sha256=c.pdf_sha256,
            kind=PublishedKind.CERTIFIED_REPORT,
            reference=reference,
            locale=c.locale,
            blob_key=c.blob_key or "",
            signer_fingerprint=c.signer_fingerprint,
            issued_at=c.created_at,
        )
        for c, reference in reports.all()
    ]
    unpublished_document = ~exists().where(PublishedDocument.sha256 == OfficeDocument.sha256)
    documents = await session.execute(
        select(OfficeDocument, Deposit.reference)
        .join(Deposit, Deposit.id == OfficeDocument.deposit_id)
        .where(unpublished_document)
    )
    found += [
        _Missing(
            sha256=d.sha256,
            kind=PublishedKind(d.kind.value),
            reference=reference,
            locale="fr",  # office documents are issued in French
            blob_key=d.blob_key,
            signer_fingerprint=d.signer_fingerprint,
            issued_at=d.created_at,
        )
        for d, reference in documents.all()
    ]
    return found


async def backfill_published(*, database: Database, settings: Settings) -> int:
    """Register every stored signed PDF that /verify does not know yet; how many."""
    async with database.unit_of_work() as session:
        found = await session.execute(text("SELECT * FROM probant_unpublished_documents()"))
        tenants: list[uuid.UUID] = list(found.scalars())
    store = store_for(settings)
    registered = 0
    for organisation_id in tenants:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as session:
            for missing in await _missing(session):
                try:
                    pdf = b"".join([chunk async for chunk in store.open_stream(missing.blob_key)])
                except Exception as exc:
                    log.warning(
                        "published.backfill_unreadable",
                        reference=missing.reference,
                        error=type(exc).__name__,
                    )
                    continue
                name = signer_name(pdf)
                if name is None:
                    log.warning("published.backfill_unsigned", reference=missing.reference)
                    continue
                await register_pdf(
                    session=session,
                    sha256=missing.sha256,
                    kind=missing.kind,
                    reference=missing.reference,
                    locale=missing.locale,
                    signer_name=name,
                    signer_fingerprint=missing.signer_fingerprint,
                    issued_at=missing.issued_at,
                )
                registered += 1
    if registered:
        log.info("published.backfilled", count=registered)
    return registered
