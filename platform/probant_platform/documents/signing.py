"""PAdES signatures on our PDFs (pyHanko), and their validation.

`sign_pdf` adds a PAdES signature (SHA-256, the signer's certificate and chain embedded):
B-B alone, or — given a `LongTerm` (documents/timestamps.py), as every document the
platform issues is — B-T (an RFC 3161 timestamp on the signature) with the B-LT validation
data (chain and revocation data, in the document security store) appended.
`validate_pdf` checks every signature of a PDF against trust roots we pass in, never
fetching anything from the network, and says in plain terms whether the document is intact,
trusted and unmodified since it was signed.

pyHanko's synchronous entry points run their own event loop: from async code call
`sign_pdf_async` / `validate_pdf_async`, which run them in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DSSCompareRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from probant_platform.documents.pki import Signer
from probant_platform.documents.timestamps import LongTerm, asn1_key
from probant_platform.documents.timestamps import asn1_cert as _asn1_cert

# pyHanko's default policy, less its leniency for /Info edits: after our signature, only
# validation data (DSS, with the XMP refresh pyHanko makes with it) and document timestamps
# may be appended.
ARCHIVAL_UPDATES_ONLY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(ModificationLevel.LTA_UPDATES),
    ],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(),
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ],
    ),
)


def sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    reason: str | None = None,
    location: str | None = None,
    field_name: str = "Signature",
    long_term: LongTerm | None = None,
) -> bytes:
    """`pdf` with a PAdES signature by `signer` appended (incremental update)."""
    chain = [_asn1_cert(c) for c in signer.chain]
    simple = signers.SimpleSigner(
        signing_cert=_asn1_cert(signer.certificate),
        signing_key=asn1_key(signer),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer.common_name,
        embed_validation_info=long_term is not None,
        validation_context=long_term.validation_context(signer.chain) if long_term else None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(
        writer,
        metadata,
        signer=simple,
        timestamper=long_term.timestamper if long_term else None,
    )
    return out.getvalue()


async def sign_pdf_async(
    pdf: bytes,
    signer: Signer,
    *,
    reason: str | None = None,
    location: str | None = None,
    field_name: str = "Signature",
    long_term: LongTerm | None = None,
) -> bytes:
    return await asyncio.to_thread(
        sign_pdf,
        pdf,
        signer,
        reason=reason,
        location=location,
        field_name=field_name,
        long_term=long_term,
    )


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a document, in the terms a reader needs."""

    field_name: str
    signer_name: str
    signed_at: str | None
    intact: bool
    """The signed bytes are those the signer hashed."""
    trusted: bool
    """The signer's certificate chains up to one of the trust roots given."""
    covers_whole_file: bool
    """Nothing was appended to the document after this signature."""
    certificate_fingerprint: str
    timestamped_at: str | None = None
    """The time an RFC 3161 authority vouches for (PAdES B-T), when its token is valid and
    trusted."""
    long_term: bool = False
    """The document carries the chain and revocation data to validate this signature with
    no network access (PAdES B-LT)."""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_file


@dataclass(frozen=True)
class PdfValidation:
    signatures: tuple[SignatureCheck, ...]
    problem: str | None = None
    """Why the document could not be checked at all (not a PDF, no signature)."""

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.signatures) and all(s.ok for s in self.signatures)

    def explain(self) -> str:
        """A one-line verdict in plain English (the CLI prints it)."""
        if self.problem:
            return self.problem
        parts = []
        for sig in self.signatures:
            if not sig.intact:
                parts.append(f"signature by {sig.signer_name}: the document was altered")
            elif not sig.covers_whole_file:
                parts.append(
                    f"signature by {sig.signer_name} is intact but content was added after it"
                )
            elif not sig.trusted:
                parts.append(
                    f"signature by {sig.signer_name} is intact but not from a trusted root"
                )
            else:
                parts.append(f"signed by {sig.signer_name}, intact and trusted")
        return "; ".join(parts)


def validate_pdf(pdf: bytes, roots: Sequence[x509.Certificate]) -> PdfValidation:
    """Check every signature in `pdf` against `roots`, with no network access."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        return PdfValidation(signatures=(), problem=f"not a readable PDF ({type(exc).__name__})")
    signatures = [s for s in embedded if s.sig_object_type == "/Sig"]
    if not signatures:
        return PdfValidation(signatures=(), problem="the PDF carries no signature")
    checks = []
    for sig in signatures:
        context = ValidationContext(
            trust_roots=[_asn1_cert(c) for c in roots], allow_fetching=False
        )
        try:
            status = validate_pdf_signature(sig, context, diff_policy=ARCHIVAL_UPDATES_ONLY)
            long_term = _validates_offline(reader, sig, roots)
        except Exception as exc:
            return PdfValidation(
                signatures=(), problem=f"a signature could not be read ({type(exc).__name__})"
            )
        cert = status.signing_cert
        stamp = status.timestamp_validity
        checks.append(
            SignatureCheck(
                field_name=sig.field_name,
                signer_name=cert.subject.native.get("common_name", "?"),
                signed_at=status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else None,
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=_nothing_but_archival_data_after(status),
                certificate_fingerprint=cert.sha256.hex(),
                timestamped_at=stamp.timestamp.isoformat()
                if stamp and stamp.intact and stamp.valid and stamp.trusted
                else None,
                long_term=long_term,
            )
        )
    return PdfValidation(signatures=tuple(checks))


def _nothing_but_archival_data_after(status: PdfSignatureStatus) -> bool:
    """The signature covers the file, or what follows is only validation data and document
    timestamps (B-LT/B-LTA updates, which pyHanko's diff analysis tells apart)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
    )


def _validates_offline(
    reader: PdfFileReader, sig: object, roots: Sequence[x509.Certificate]
) -> bool:
    """Whether the signature validates, revocation checked, from embedded data alone."""
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    if dss is None or not (dss.crls or dss.ocsps):
        return False
    context = dss.as_validation_context(
        {
            "trust_roots": [_asn1_cert(c) for c in roots],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    status = validate_pdf_signature(sig, context)  # type: ignore[arg-type]
    return bool(status.bottom_line)


async def validate_pdf_async(pdf: bytes, roots: Sequence[x509.Certificate]) -> PdfValidation:
    return await asyncio.to_thread(validate_pdf, pdf, roots)
