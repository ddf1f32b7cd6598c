"""PAdES B-LTA: keeping a signed PDF verifiable after its timestamp certificate expires.

A timestamp proves its time only while its authority's certificate can be validated. Before
the newest one expires, `renew` appends (incremental update, earlier signatures untouched)
the validation data of that timestamp and a new document timestamp from the current
authority, whose own certificate then carries the proof forward: the chain can be extended
indefinitely.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

from probant_platform.config import Settings
from probant_platform.documents.timestamps import LongTerm


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


def renew(pdf: bytes, long_term: LongTerm, *, horizon: timedelta) -> bytes | None:
    """`pdf` with a new document timestamp when its newest one expires within `horizon`;
    `None` when it does not need one yet (or carries no timestamp to extend)."""
    if not needs_renewal(pdf, horizon=horizon):
        return None
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    output = io.BytesIO()
    PdfTimeStamper(long_term.timestamper).update_archival_timestamp_chain(
        reader, long_term.validation_context(), in_place=False, output=output
    )
    return output.getvalue()
