# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The documents a firm receives, read as a person reads them: the certified report, the
office's attestation and the export zip."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable

import httpx
from pypdf import PdfReader
from tests.factories import gql
from tests.integrity.documents_world import IssuedDocuments, issued_documents

from probant_platform.config import Settings
from probant_platform.db import Database

LINK = "query($id: ID!, $l: DocumentLanguage) { node(id: $id) { ... on Deposit { certificateUrl(language: $l) } } }"


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(_pages(pdf)).split())


async def _issued(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    settings: Settings,
    **options: str,
) -> tuple[IssuedDocuments, httpx.AsyncClient]:
    owner = client_factory()
    issued = await issued_documents(
        database, owner, client_factory(), settings, author_name="Dominique Roux", **options
    )
    return issued, owner


async def test_the_attestation_names_the_office_once_and_the_export_holds_it(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], settings: Settings
) -> None:
    issued, owner = await _issued(database, client_factory, settings)
    reference = issued.sealed.reference

    attestation = _flat(issued.attestation)
    export = await owner.get(issued.export_url)

    assert "Étude Durand atteste avoir reçu" in attestation
    assert "L'étude Étude" not in attestation and "l'étude Étude" not in attestation
    assert "Nom Étude Durand" in attestation
    assert "(heure de Paris, UTC+0" in attestation  # times carry their offset
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    names = archive.namelist()
    assert f"office-documents/attestation-{reference}.pdf" in names
    assert archive.read(f"office-documents/attestation-{reference}.pdf") == issued.attestation
    assert archive.read("certificate.pdf") == issued.report
    assert "office-documents/" in archive.read("README.txt").decode()


async def test_the_report_shows_author_and_signer_and_cites_the_public_page(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], settings: Settings
) -> None:
    issued, _ = await _issued(database, client_factory, settings)
    reference = issued.sealed.reference

    text = _flat(issued.report)
    pages = _pages(issued.report)

    assert "Auteur du dépôt Dominique Roux" in text
    assert "Signé par Camille Martin" in text
    assert f"publique:http://testserver/verify/{reference}" in text.replace(" ", "")
    assert "docs/verification.md" not in text
    assert "(Europe/Paris, UTC+0" in text
    [signature_page] = [p for p in pages if "Dépôt confirmé et signé par" in p]
    assert "\nSignature\n" in f"\n{signature_page}\n"  # the heading is on the same page


async def test_an_english_deposit_gets_an_english_report_and_the_admin_a_french_one(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    settings: Settings,
    client: httpx.AsyncClient,
) -> None:
    issued, owner = await _issued(database, client_factory, settings, locale="en")
    node = issued.sealed.node_id

    same = (await gql(owner, LINK, {"id": node, "l": "EN"}))["node"]["certificateUrl"]
    french_url = (await gql(owner, LINK, {"id": node, "l": "FR"}))["node"]["certificateUrl"]
    french = await owner.get("/" + french_url.split("/", 3)[3])
    sha = hashlib.sha256(french.content).hexdigest()
    known = (await client.get("/api/v1/verify", params={"sha256": sha})).json()

    english = _flat(issued.report)
    assert english.startswith("Probant CERTIFIED REPORT")
    assert "Author of the deposit Dominique Roux" in english and "Signed by Camille" in english
    assert same.split("?")[0].endswith("/certificate.pdf")  # the issued one
    assert french.status_code == 200
    assert "RAPPORT CERTIFIÉ" in _flat(french.content)
    assert "Auteur du dépôt Dominique Roux" in _flat(french.content)
    assert [d["language"] for d in known["documents"]] == ["fr"]
