"""PAdES signatures on our PDFs (pyHanko), and their validation.

`sign_pdf` adds a PAdES B-B signature (SHA-256, the signer's certificate and chain embedded).
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

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from probant_platform.documents.pki import Signer


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    reason: str | None = None,
    location: str | None = None,
    field_name: str = "Signature",
) -> bytes:
    """`pdf` with a PAdES signature by `signer` appended (incremental update)."""
    key_der = signer.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    chain = [_asn1_cert(c) for c in signer.chain]
    simple = signers.SimpleSigner(
        signing_cert=_asn1_cert(signer.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer.common_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, metadata, signer=simple)
    return out.getvalue()


async def sign_pdf_async(pdf: bytes, signer: Signer, **kwargs: str | None) -> bytes:
    return await asyncio.to_thread(sign_pdf, pdf, signer, **kwargs)  # type: ignore[arg-type]


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
    if not embedded:
        return PdfValidation(signatures=(), problem="the PDF carries no signature")
    checks = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=[_asn1_cert(c) for c in roots], allow_fetching=False
        )
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:
            return PdfValidation(
                signatures=(), problem=f"a signature could not be read ({type(exc).__name__})"
            )
        cert = status.signing_cert
        checks.append(
            SignatureCheck(
                field_name=sig.field_name,
                signer_name=cert.subject.native.get("common_name", "?"),
                signed_at=status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else None,
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                certificate_fingerprint=cert.sha256.hex(),
            )
        )
    return PdfValidation(signatures=tuple(checks))


async def validate_pdf_async(pdf: bytes, roots: Sequence[x509.Certificate]) -> PdfValidation:
    return await asyncio.to_thread(validate_pdf, pdf, roots)
