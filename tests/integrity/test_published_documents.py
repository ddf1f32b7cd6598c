"""The public /verify page over HTTP: both addresses of a reference, and signed PDFs recognised.

A person who received the certified report or the office's attestation and looks its SHA-256
up learns what the document is, for which deposit and who signed it — and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx
import pytest
from tests.integrity.documents_world import IssuedDocuments, issued_documents
from tests.integrity.helpers import sealed_deposit

from probant_platform.config import Settings
from probant_platform.db import Database


@pytest.fixture
async def issued(
    database: Database, client_factory: Callable[[], httpx.AsyncClient], settings: Settings
) -> IssuedDocuments:
    return await issued_documents(database, client_factory(), client_factory(), settings)


async def test_the_query_form_of_a_reference_redirects_to_its_page(
    database: Database, client: httpx.AsyncClient
) -> None:
    sealed = await sealed_deposit(database, client, photos=1)

    old_form = await client.get("/verify", params={"reference": sealed.reference, "lang": "en"})
    followed = await client.get(old_form.headers["location"])

    assert old_form.status_code == 302
    assert old_form.headers["location"] == f"/verify/{sealed.reference}?lang=en"
    assert f"Deposit {sealed.reference}" in followed.text
    assert hashlib.sha256(sealed.photos[0]).hexdigest() in followed.text
    assert (await client.get("/verify", params={"reference": ""})).status_code == 200


async def test_a_certified_report_and_an_attestation_are_recognised_by_their_hash(
    issued: IssuedDocuments, client: httpx.AsyncClient
) -> None:
    reference = issued.sealed.reference
    found = {}
    for name, pdf in (("report", issued.report), ("attestation", issued.attestation)):
        sha = hashlib.sha256(pdf).hexdigest()
        response = await client.get("/api/v1/verify", params={"sha256": sha})
        assert response.status_code == 200
        body = response.json()
        assert body["found"] and body["items"] == []
        [found[name]] = body["documents"]
        assert found[name]["sha256"] == sha and found[name]["reference"] == reference

    assert found["report"]["kind"] == "CERTIFIED_REPORT"
    assert found["report"]["label"] == "Rapport certifié"
    assert found["attestation"]["kind"] == "ATTESTATION"
    assert found["attestation"]["label"] == "Attestation de dépôt"
    assert found["attestation"]["signed_by"] == issued.office_name
    assert len(found["attestation"]["signer_certificate_sha256"]) == 64
    for secret in ("Camille", "Dégât des eaux", "Cabinet", "example.com"):
        assert secret not in str(found)
    altered = hashlib.sha256(issued.attestation + b"\n").hexdigest()
    missing = await client.get("/api/v1/verify", params={"sha256": altered})
    assert missing.json() == {"found": False, "items": [], "documents": []}


async def test_the_reference_page_lists_the_signed_documents(
    issued: IssuedDocuments, client: httpx.AsyncClient
) -> None:
    page = await client.get(f"/verify/{issued.sealed.reference}", params={"lang": "en"})

    assert "Signed documents of this deposit" in page.text
    assert "Deposit attestation (attestation de dépôt)" in page.text
    assert f"Signed by {issued.office_name}" in page.text
    assert hashlib.sha256(issued.attestation).hexdigest() in page.text
    assert "probant verify --pdf" in page.text
