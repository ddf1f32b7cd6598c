"""PAdES B-LTA: keeping a signed PDF verifiable after its timestamp certificate expires.

A timestamp proves its time only while its authority's certificate can be validated. Before
the newest one expires, `renew` appends (incremental update, earlier signatures untouched)
the validation data of that timestamp and a new document timestamp from the current
authority, whose own certificate then carries the proof forward: the chain can be extended
indefinitely.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from asn1crypto import cms
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.validation import validate_pdf_timestamp
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext

from probant_platform.config import Settings
from probant_platform.documents.signing import validate_pdf
from probant_platform.documents.timestamps import LongTerm, asn1_cert


def renewal_horizon(settings: Settings) -> timedelta:
    """How long before a timestamp certificate expires its documents are re-timestamped
    (`PROBANT_TIMESTAMP_RENEWAL_DAYS`)."""
    return timedelta(days=settings.timestamp_renewal_days)


def _tsa_expiry(signed_data: cms.SignedData) -> datetime | None:
    for choice in signed_data["certificates"] or []:
        cert = choice.chosen
        usages = cert.extended_key_usage_value
        if usages is not None and "time_stamping" in usages.native:
            return cert["tbs_certificate"]["validity"]["not_after"].native
    return None


def validation_horizon(pdf: bytes) -> datetime | None:
    """When the newest timestamp of `pdf` stops being checkable (its TSA certificate
    expires); `None` for a document with no timestamp at all."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    document_stamps = reader.embedded_timestamp_signatures
    if document_stamps:
        return _tsa_expiry(document_stamps[-1].signed_data)
    expiries = [
        _tsa_expiry(data)
        for sig in reader.embedded_regular_signatures
        for data in extract_tst_data_iter(sig.signer_info, signed=False)
    ]
    known = [e for e in expiries if e is not None]
    return min(known) if known else None


def needs_renewal(pdf: bytes, *, horizon: timedelta, now: datetime | None = None) -> bool:
    expiry = validation_horizon(pdf)
    return expiry is not None and expiry <= (now or datetime.now(UTC)) + horizon


def extend(pdf: bytes, long_term: LongTerm) -> bytes:
    """`pdf` followed by an incremental update holding the validation data of its newest
    timestamp and a new document timestamp (the bytes of `pdf` stay its prefix)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    output = io.BytesIO()
    PdfTimeStamper(long_term.timestamper).update_archival_timestamp_chain(
        reader, long_term.validation_context(), in_place=False, output=output
    )
    return output.getvalue()


def renew(pdf: bytes, long_term: LongTerm, *, horizon: timedelta) -> bytes | None:
    """`pdf` with a new document timestamp when its newest one expires within `horizon`;
    `None` when it does not need one yet (or carries no timestamp to extend)."""
    if not needs_renewal(pdf, horizon=horizon):
        return None
    return extend(pdf, long_term)


def pades_level(pdf: bytes, roots: Sequence[x509.Certificate]) -> str | None:
    """The PAdES baseline level pyHanko's validators establish for `pdf`, offline:
    B-B (signed), B-T (+ a trusted signature timestamp), B-LT (+ the validation data to check
    it without the network), B-LTA (+ a trusted document timestamp over all of that);
    `None` when a signature does not validate."""
    verdict = validate_pdf(pdf, roots)
    if not verdict.ok or not all(s.covers_whole_file for s in verdict.signatures):
        return None
    if not all(s.timestamped_at for s in verdict.signatures):
        return "B-B"
    if not all(s.long_term for s in verdict.signatures):
        return "B-T"
    count, valid = document_timestamps(pdf, roots)
    if not valid:
        return None
    return "B-LTA" if count else "B-LT"


def document_timestamps(pdf: bytes, roots: Sequence[x509.Certificate]) -> tuple[int, bool]:
    """How many document timestamps (B-LTA renewals) `pdf` carries, and whether every one is
    intact, valid and trusted under `roots` (pyHanko, offline)."""
    try:
        stamps = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_timestamp_signatures
    except Exception:  # pyHanko raises many kinds on a damaged file
        return 0, False
    context = ValidationContext(trust_roots=[asn1_cert(c) for c in roots], allow_fetching=False)
    for stamp in stamps:
        try:
            status = validate_pdf_timestamp(stamp, context)
        except Exception:
            return len(stamps), False
        if not (status.intact and status.valid and status.trusted):
            return len(stamps), False
    return len(stamps), True
