"""B-LTA renewal: a PDF whose timestamp certificate nears expiry gets a new document timestamp."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.documents.renewal import renew, renewal_horizon, validation_horizon
from probant_platform.documents.signing import sign_pdf, validate_pdf
from probant_platform.documents.timestamps import (
    LongTerm,
    asn1_cert,
    development_timestamper,
    long_term,
)

HORIZON = timedelta(days=180)


@pytest.fixture
def dev_settings(tmp_path: Path) -> Settings:
    return Settings(PROBANT_DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signed_with_tsa_valid_for(settings: Settings, days: int) -> bytes:
    authority = pki.development_authority(settings)
    short_lived = pki.issue_tsa_certificate(authority, validity=timedelta(days=days))
    regular = long_term(settings)
    stamping = LongTerm(
        timestamper=development_timestamper(short_lived), roots=regular.roots, crls=regular.crls
    )
    return sign_pdf(_blank_pdf(), pki.platform_signer(settings), long_term=stamping)


def test_a_pdf_whose_tsa_certificate_nears_expiry_gets_a_document_timestamp(
    dev_settings: Settings,
) -> None:
    pdf = _signed_with_tsa_valid_for(dev_settings, days=20)
    before = validation_horizon(pdf)
    assert before is not None

    renewed = renew(pdf, long_term(dev_settings), horizon=HORIZON)

    assert renewed is not None and renewed.startswith(pdf)  # appended, nothing rewritten
    after = validation_horizon(renewed)
    assert after is not None and after - before > timedelta(days=365)
    roots = pki.trust_roots(dev_settings)
    result = validate_pdf(renewed, roots)
    assert result.ok, result.explain()
    assert result.signatures[0].timestamped_at is not None
    reader = PdfFileReader(io.BytesIO(renewed))
    [stamp] = reader.embedded_timestamp_signatures
    status = validate_pdf_timestamp(
        stamp, ValidationContext(trust_roots=[asn1_cert(c) for c in roots], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted


def test_a_pdf_far_from_expiry_is_left_alone(dev_settings: Settings) -> None:
    pdf = sign_pdf(
        _blank_pdf(), pki.platform_signer(dev_settings), long_term=long_term(dev_settings)
    )

    assert renew(pdf, long_term(dev_settings), horizon=HORIZON) is None


def test_the_horizon_is_configurable(dev_settings: Settings, tmp_path: Path) -> None:
    pdf = _signed_with_tsa_valid_for(dev_settings, days=20)
    assert renewal_horizon(dev_settings) == timedelta(days=180)  # the default
    short = Settings(  # type: ignore[call-arg]
        PROBANT_DATA_DIR=tmp_path / "data", PROBANT_TIMESTAMP_RENEWAL_DAYS=5
    )
    long = Settings(  # type: ignore[call-arg]
        PROBANT_DATA_DIR=tmp_path / "data", PROBANT_TIMESTAMP_RENEWAL_DAYS=30
    )

    assert renew(pdf, long_term(short), horizon=renewal_horizon(short)) is None
    assert renew(pdf, long_term(long), horizon=renewal_horizon(long)) is not None
