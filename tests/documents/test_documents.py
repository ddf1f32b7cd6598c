"""Rendering and signing documents: real WeasyPrint, real pyHanko, real certificates."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from probant_platform.config import Settings
from probant_platform.documents import pki
from probant_platform.documents.render import (
    FetchRefused,
    OwnAssetsFetcher,
    Templates,
    qr_code_svg,
    render_pdf,
)
from probant_platform.documents.signing import sign_pdf, validate_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def dev_settings(tmp_path: Path) -> Settings:
    return Settings(PROBANT_DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every path asked of it."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_a_template_renders_to_a_pdf_with_its_text_and_a_qr_code(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text(
        '{% extends "document.html.j2" %}{% block kind %}Rapport{% endblock %}'
        "{% block content %}<h1>{{ title }}</h1><p class=hash>{{ sha }}</p>"
        '<img class=qr src="asset:qr.svg">{% endblock %}'
    )
    sha = "ab" * 32
    pdf = Templates(tmp_path).pdf(
        "report.html.j2",
        title="Constat <b>escaped</b>",
        sha=sha,
        assets={"qr.svg": qr_code_svg("https://probant.example/verify/DEP-1")},
    )
    text = _text(pdf)
    assert "Constat <b>escaped</b>" in text
    assert sha in text.replace("\n", "")
    assert "RAPPORT" in text.upper()


def test_documents_never_fetch_from_the_network(listener: tuple[str, list[str]]) -> None:
    base, seen = listener
    html = (
        f'<link rel="stylesheet" href="{base}/evil.css">'
        f'<img src="{base}/pixel.png"><p>Bonjour</p>'
        '<img src="file:///etc/passwd">'
    )
    pdf = render_pdf(html)
    assert "Bonjour" in _text(pdf)
    assert seen == []


def test_the_fetcher_refuses_paths_outside_our_assets(tmp_path: Path) -> None:
    fetcher = OwnAssetsFetcher(folders=[tmp_path], assets={"a.svg": b"<svg/>"})
    for url in ("http://example.org/x.css", "file:///etc/hostname", "asset:missing.png"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    (tmp_path / "ok.css").write_text("p{}")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p{}"
    assert fetcher.fetch("asset:a.svg").read() == b"<svg/>"
    with pytest.raises(FetchRefused):
        fetcher.fetch((tmp_path / ".." / "escape.css").as_uri())


def _signed(settings: Settings) -> bytes:
    pdf = render_pdf("<h1>Certificat</h1><p>contenu</p>")
    return sign_pdf(pdf, pki.platform_signer(settings), reason="Scellement")


def test_a_signed_pdf_is_intact_and_trusted_with_the_development_ca(
    dev_settings: Settings,
) -> None:
    signed = _signed(dev_settings)
    result = validate_pdf(signed, pki.trust_roots(dev_settings))
    assert result.ok, result.explain()
    (sig,) = result.signatures
    assert sig.signer_name == "Probant — certificats de scellement"
    assert sig.certificate_fingerprint == pki.platform_signer(dev_settings).fingerprint
    assert "intact and trusted" in result.explain()


def test_another_authority_is_not_trusted(dev_settings: Settings) -> None:
    signed = _signed(dev_settings)
    stranger = pki.create_authority("Some other CA")
    result = validate_pdf(signed, [stranger.certificate])
    assert not result.ok
    assert result.signatures[0].intact and not result.signatures[0].trusted


def test_a_byte_changed_after_signing_breaks_the_signature(dev_settings: Settings) -> None:
    signed = bytearray(_signed(dev_settings))
    index = signed.index(b"WeasyPrint")  # the producer, in the signed first revision
    signed[index] = ord("w")
    result = validate_pdf(bytes(signed), pki.trust_roots(dev_settings))
    assert not result.ok
    assert "altered" in result.explain()


def test_content_appended_after_signing_is_reported(dev_settings: Settings) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_signed(dev_settings)))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is None:
        info = generic.DictionaryObject()
        writer.trailer["/Info"] = writer.add_object(info)
    info[generic.NameObject("/Title")] = generic.TextStringObject("changé")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = validate_pdf(out.getvalue(), pki.trust_roots(dev_settings))
    assert not result.ok
    assert "added after it" in result.explain()


def test_garbage_and_unsigned_pdfs_get_a_plain_reason(dev_settings: Settings) -> None:
    assert validate_pdf(b"not a pdf", []).problem is not None
    unsigned = render_pdf("<p>x</p>")
    assert validate_pdf(unsigned, []).problem == "the PDF carries no signature"


def test_the_development_pki_is_created_once_and_shared(dev_settings: Settings) -> None:
    results: list[str] = []

    def grab() -> None:
        results.append(pki.development_authority(dev_settings).fingerprint)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    key_file = dev_settings.data_dir / "pki" / "ca.pem"
    assert key_file.stat().st_mode & 0o077 == 0
    assert b"ENCRYPTED PRIVATE KEY" in key_file.read_bytes()


def test_office_certificates_chain_to_the_platform_ca(dev_settings: Settings) -> None:
    office = pki.issue_office_certificate(
        dev_settings, office_name="Étude Martin & Associés", email="etude@example.com"
    )
    signed = sign_pdf(render_pdf("<p>Attestation</p>"), office)
    result = validate_pdf(signed, pki.trust_roots(dev_settings))
    assert result.ok
    assert result.signatures[0].signer_name == "Étude Martin & Associés"
    # Stored encrypted and read back.
    again = pki.Signer.from_pem(office.to_pem(b"pw"), b"pw")
    assert again.fingerprint == office.fingerprint


def test_production_loads_a_pkcs12_and_never_generates(tmp_path: Path) -> None:
    authority = pki.create_authority("Prod CA")
    signer = pki.issue_certificate(authority, common_name="Probant SAS", organisation="Probant")
    p12 = tmp_path / "signing.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"probant",
            signer.key,  # type: ignore[arg-type]
            signer.certificate,
            list(signer.chain),
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    roots = tmp_path / "roots.pem"
    roots.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    common = {
        "PROBANT_ENV": "production",
        "PROBANT_SECRET_KEY": "k" * 40,
        "DATABASE_URL": "postgresql://db/probant",
        "PROBANT_DATA_DIR": tmp_path / "data",
    }
    bare = Settings(**common)  # type: ignore[arg-type]
    with pytest.raises(pki.SigningUnavailable):
        pki.platform_signer(bare)
    assert pki.trust_roots(bare) == []
    configured = Settings(
        **common,
        PROBANT_SIGNING_P12=p12,
        PROBANT_SIGNING_P12_PASSWORD="s3cret",
        PROBANT_TRUST_ROOTS=roots,
    )  # type: ignore[arg-type]
    loaded = pki.platform_signer(configured)
    assert loaded.fingerprint == signer.fingerprint
    signed = sign_pdf(render_pdf("<p>prod</p>"), loaded)
    assert validate_pdf(signed, pki.trust_roots(configured)).ok
    assert not (tmp_path / "data" / "pki").exists()


def test_a_domain_template_gets_the_shared_stylesheet(tmp_path: Path) -> None:
    (tmp_path / "styled.html.j2").write_text(
        '{% extends "document.html.j2" %}{% block content %}<p>styled</p>{% endblock %}'
    )
    fetcher = OwnAssetsFetcher(folders=Templates(tmp_path).folders)
    css = fetcher.fetch((tmp_path / "document.css").as_uri()).read()
    assert b"@page" in css  # the shared document.css, found although not in tmp_path
    with pytest.raises(FetchRefused):
        fetcher.fetch((tmp_path / ".." / ".." / "etc" / "passwd").as_uri())
