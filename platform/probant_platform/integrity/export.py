"""The export of a deposit: a zip of its media, proof bundle, certified report and the
office's signed documents (attestation de dépôt, PV de constat) when issued."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
import zipfile
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from probant_platform.config import Settings
from probant_platform.documents.pki import SigningUnavailable
from probant_platform.evidence import credentials
from probant_platform.evidence.deposits import stored_items
from probant_platform.evidence.models import Deposit
from probant_platform.integrity import issued_documents
from probant_platform.integrity.bundle import bundle_bytes, proof_bundle, with_credentials
from probant_platform.integrity.models import Certificate
from probant_platform.integrity.renewals import newest_version
from probant_platform.storage import BlobStore

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "video/webm": "webm", "video/mp4": "mp4"}
README = """Probant — export du dépôt {reference} / export of deposit {reference}

media/           les fichiers scellés / the sealed files
proof-bundle.json   le paquet de preuve / the proof bundle (docs/verification.md)
certificate.pdf  le rapport certifié signé / the signed certified report (if issued)
office-documents/   attestation de dépôt et PV de constat signés par l'étude (s'ils sont émis)
                    the office's signed attestation and PV de constat (if issued)
credentials/     copies des photos et vidéos avec leurs Content Credentials (C2PA) signées /
                 copies of the photos and videos carrying signed C2PA Content Credentials
                 (the files in media/ are the evidence; these copies are for C2PA tools)

Vérifier / verify:
  probant verify media/* --bundle proof-bundle.json --pdf certificate.pdf
  probant verify media/* --bundle proof-bundle.json --pdf office-documents/<fichier.pdf>
ou / or: {verification_url}
"""


async def write_export(
    *, session: AsyncSession, settings: Settings, store: BlobStore, deposit: Deposit
) -> IO[bytes]:
    """A temporary file holding the zip, rewound (the caller closes it)."""
    bundle = await proof_bundle(session=session, settings=settings, deposit=deposit)
    items = await stored_items(session=session, deposit_id=deposit.id)
    certificate = (
        await session.execute(select(Certificate).where(Certificate.deposit_id == deposit.id))
    ).scalar_one_or_none()
    office_documents = await issued_documents.source().files(session=session, deposit_id=deposit.id)
    named: dict[str, dict[str, str]] = {}
    spool: Any = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(
            "README.txt",
            README.format(reference=deposit.reference, verification_url=bundle["verification_url"]),
        )
        for number, item in enumerate(items, start=1):
            if item.blob_key is None:
                continue
            extension = EXTENSIONS.get(item.media_type or "", "bin")
            name = f"media/{number:02d}-{(item.sha256 or '')[:12]}.{extension}"
            with archive.open(name, "w") as target:
                async for chunk in store.open_stream(item.blob_key):
                    target.write(chunk)
            if item.sha256 is not None and item.media_type in credentials.SUPPORTED:
                media = b"".join([chunk async for chunk in store.open_stream(item.blob_key)])
                try:
                    anchor = credentials.anchor_facts(bundle, str(item.id))
                    copy = await credentials.credentialed_copy_of(
                        settings, deposit, item, media, anchor
                    )
                except SigningUnavailable:  # no signing certificate configured: originals only
                    continue
                copy_name = name.replace("media/", "credentials/", 1)
                archive.writestr(copy_name, copy)
                named[str(item.id)] = {
                    "file": copy_name,
                    "sha256": hashlib.sha256(copy).hexdigest(),
                }
        # Written last: it names the credentialed copies made above (bundle v2).
        archive.writestr("proof-bundle.json", bundle_bytes(with_credentials(bundle, named)))
        # Each PDF in its newest archived version: the sealed one plus any B-LTA renewals,
        # which `probant verify --pdf` recognises by the sealed hash of its prefix.
        pdfs = [
            (f"office-documents/{d.filename}", await _newest(session, d.blob_key, office=d.id))
            for d in office_documents
        ]
        if certificate is not None and certificate.blob_key is not None:
            newest = await _newest(session, certificate.blob_key, certificate=certificate.id)
            pdfs.insert(0, ("certificate.pdf", newest))
        for name, key in pdfs:
            with archive.open(name, "w") as target:
                async for chunk in store.open_stream(key):
                    target.write(chunk)
    spool.seek(0)
    return spool


async def _newest(
    session: AsyncSession,
    sealed_key: str,
    *,
    certificate: uuid.UUID | None = None,
    office: uuid.UUID | None = None,
) -> str:
    version = await newest_version(session, certificate_id=certificate, office_document_id=office)
    return version.blob_key if version is not None else sealed_key
