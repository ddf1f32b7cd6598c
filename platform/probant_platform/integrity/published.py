"""Signed documents registered by their SHA-256, so that `/verify` recognises a dropped PDF.

Certified reports (signed by the platform) and office documents (attestation de dépôt, PV de
constat, signed by the office) are registered when issued, in the same transaction. The
public page then says what the file is, for which deposit and who signed it; the signature
itself is checked offline with `probant verify --pdf` (a hash match says the file is the one
issued, not that its signature is valid today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.integrity.models import PublishedDocument, PublishedKind
from probant_platform.integrity.records import timestamp

MAX_RESULTS = 25
KIND_LABELS = {
    "fr": {
        PublishedKind.CERTIFIED_REPORT: "Rapport certifié",
        PublishedKind.ATTESTATION: "Attestation de dépôt",
        PublishedKind.CONSTAT: "Procès-verbal de constat de dépôt",
    },
    "en": {
        PublishedKind.CERTIFIED_REPORT: "Certified report",
        PublishedKind.ATTESTATION: "Deposit attestation (attestation de dépôt)",
        PublishedKind.CONSTAT: "Official deposit report (PV de constat de dépôt)",
    },
}
RENEWAL_LABELS = {
    "fr": " — version renouvelée n° {n} (horodatage d'archivage ajouté, PAdES B-LTA)",
    "en": " — renewed version {n} (archive timestamp added, PAdES B-LTA)",
}


@dataclass(frozen=True)
class PublicDocument:
    sha256: str
    kind: PublishedKind
    reference: str
    locale: str
    signer_name: str
    signer_fingerprint: str
    issued_at: datetime
    renewal_of: str | None = None
    renewal: int | None = None

    def as_json(self, locale: str) -> dict[str, Any]:
        lang = "en" if locale == "en" else "fr"
        label = KIND_LABELS[lang][self.kind]
        if self.renewal is not None:
            label += RENEWAL_LABELS[lang].format(n=self.renewal)
        return {
            "sha256": self.sha256,
            "kind": self.kind.value,
            "label": label,
            "reference": self.reference,
            "language": self.locale,
            "signed_by": self.signer_name,
            "signer_certificate_sha256": self.signer_fingerprint,
            "issued_at": timestamp(self.issued_at),
            "renewal_of": self.renewal_of,
            "renewal": self.renewal,
        }


async def register_pdf(
    *,
    session: AsyncSession,
    sha256: str,
    kind: PublishedKind,
    reference: str,
    locale: str,
    signer_name: str,
    signer_fingerprint: str,
    issued_at: datetime,
    renewal_of: str | None = None,
    renewal: int | None = None,
) -> None:
    """Register an issued PDF (idempotent: the same bytes are registered once); a version
    renewed by the B-LTA job names the document as signed (`renewal_of`) and its number."""
    await session.execute(
        insert(PublishedDocument)
        .values(
            sha256=sha256,
            kind=kind,
            deposit_reference=reference,
            locale=locale,
            signer_name=signer_name[:200],
            signer_fingerprint=signer_fingerprint,
            issued_at=issued_at,
            renewal_of=renewal_of,
            renewal=renewal,
        )
        .on_conflict_do_nothing(index_elements=[PublishedDocument.sha256])
    )


async def _documents(session: AsyncSession, condition: Any) -> list[PublicDocument]:
    rows = await session.scalars(
        select(PublishedDocument)
        .where(condition)
        .order_by(PublishedDocument.issued_at)
        .limit(MAX_RESULTS)
    )
    return [
        PublicDocument(
            sha256=row.sha256,
            kind=row.kind,
            reference=row.deposit_reference,
            locale=row.locale,
            signer_name=row.signer_name,
            signer_fingerprint=row.signer_fingerprint,
            issued_at=row.issued_at,
            renewal_of=row.renewal_of,
            renewal=row.renewal,
        )
        for row in rows
    ]


async def by_sha256(*, session: AsyncSession, sha256: str) -> list[PublicDocument]:
    return await _documents(session, PublishedDocument.sha256 == sha256.strip().lower())


async def by_reference(*, session: AsyncSession, reference: str) -> list[PublicDocument]:
    return await _documents(
        session, PublishedDocument.deposit_reference == reference.strip().upper()
    )
