"""PAdES B-T/B-LT: timestamped signatures carrying their own validation data.

Checked with our validator (pyHanko, no network) and with poppler's `pdfsig` trusting only
the development root, as an expert without Probant would.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms
from pypdf import PdfReader, PdfWriter

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.documents.signing import sign_pdf, validate_pdf
from probant_platform.documents.timestamps import long_term


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def dev_settings(tmp_path: Path) -> Settings:
    return Settings(PROBANT_DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture
def signed(dev_settings: Settings) -> bytes:
    signer = pki.platform_signer(dev_settings)
    return sign_pdf(_blank_pdf(), signer, reason="test", long_term=long_term(dev_settings))


def test_signature_is_timestamped_and_validates_from_embedded_data(
    dev_settings: Settings, signed: bytes
) -> None:
    result = validate_pdf(signed, pki.trust_roots(dev_settings))
    assert result.ok, result.explain()
    (check,) = result.signatures
    assert check.timestamped_at is not None
    assert check.long_term

    plain = validate_pdf(
        sign_pdf(_blank_pdf(), pki.platform_signer(dev_settings)), pki.trust_roots(dev_settings)
    )
    assert plain.ok
    assert plain.signatures[0].timestamped_at is None
    assert not plain.signatures[0].long_term


def test_timestamp_comes_from_the_labelled_development_tsa(signed: bytes) -> None:
    reader = PdfReader(io.BytesIO(signed))
    field = reader.get_fields()["Signature"]  # type: ignore[index]
    contents = bytes(field["/V"]["/Contents"])  # type: ignore[index]
    signer_info = cms.ContentInfo.load(contents.rstrip(b"\0"))["content"]["signer_infos"][0]
    token = signer_info["unsigned_attrs"][0]["values"][0]
    tsa_names = [c.chosen.subject.native["common_name"] for c in token["content"]["certificates"]]
    assert pki.DEVELOPMENT_TSA_NAME in tsa_names


def test_a_byte_changed_in_a_long_term_pdf_is_caught(dev_settings: Settings, signed: bytes) -> None:
    at = signed.index(b"/MediaBox")
    tampered = signed[:at] + b"/MediaBoy" + signed[at + 9 :]
    assert not validate_pdf(tampered, pki.trust_roots(dev_settings)).ok


def test_production_without_a_tsa_refuses(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        PROBANT_ENV="production",
        PROBANT_SECRET_KEY="x" * 40,
        DATABASE_URL="postgresql://nobody@127.0.0.1/none",
        PROBANT_DATA_DIR=tmp_path,
    )
    with pytest.raises(pki.SigningUnavailable, match="PROBANT_TSA_URL"):
        long_term(settings)


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="poppler-utils and libnss3-tools are needed (scripts/system-deps.sh)",
)
def test_pdfsig_finds_the_signature_valid_and_trusted(
    dev_settings: Settings, signed: bytes, tmp_path: Path
) -> None:
    root = tmp_path / "root.pem"
    root.write_bytes(pki.trust_roots_pem(dev_settings))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "probant", "-t", "CT,C,C", "-a", "-i", root],
        check=True,
    )
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(signed)
    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True, timeout=60
    ).stdout
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report

    # Against an empty trust store the same file is not trusted: the check above means it.
    other = tmp_path / "empty"
    other.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{other}", "--empty-password"], check=True)
    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{other}", str(pdf)], capture_output=True, text=True, timeout=60
    ).stdout
    assert "Certificate is Trusted." not in report
