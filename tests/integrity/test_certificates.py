"""The certified report: every hash in its text, signed and trusted, emailed, downloadable."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from tests.factories import gql
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.documents import pki
from probant_platform.documents.signing import validate_pdf_async
from probant_platform.evidence.models import Deposit
from probant_platform.integrity.certificates import _anchors, certify_deposit, render_certificate
from probant_platform.integrity.models import SealedRecord
from probant_platform.integrity.people import author_of
from probant_platform.integrity.verify import GivenFile, Report, file_sha256, verify_bundle
from probant_platform.notifications.mailer import SmtpMailer
from probant_platform.storage import store_for
from probant_platform.storage.collection import collect


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


async def _certify(database: Database, settings: Settings, world: ProofWorld, smtp: str) -> Any:
    return await certify_deposit(
        database=database,
        settings=settings,
        mailer=SmtpMailer(smtp),
        organisation_id=world.sealed.owner.organisation_id,
        deposit_id=world.sealed.deposit_id,
    )


async def test_the_report_is_signed_trusted_emailed_and_in_the_archive(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    smtp_server: tuple[str, Any],
    client: httpx.AsyncClient,
) -> None:
    url, mailbox = smtp_server

    certificate = await _certify(database, settings, world, url)
    again = await _certify(database, settings, world, url)

    assert certificate is not None and again.id == certificate.id
    [message] = await mailbox.wait_for(1)
    assert message["To"] == world.sealed.owner.email
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"Votre rapport certifié {world.sealed.reference}"
    [attachment] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    pdf = attachment.get_payload(decode=True)
    text = _text(pdf)
    for photo in world.files:
        assert file_sha256(photo) in text
    assert "RAPPORTCERTIFIÉ" in text  # the document kind, in capitals by the stylesheet
    for words in (world.sealed.reference, "Dégâtdeseaux", "12ruedeRivoli", "Cabinet"):
        assert words in text
    assert "chaînededéveloppement—pasunregistrepublic" in text
    assert "±12m" in text and "48.856600,2.352200" in text
    validation = await validate_pdf_async(pdf, pki.trust_roots(settings))
    assert validation.ok, validation.explain()
    [signature] = validation.signatures
    assert signature.intact and signature.trusted and signature.covers_whole_file
    assert signature.timestamped_at is not None and signature.long_term  # PAdES B-T + B-LT

    query = "query($id: ID!) { node(id: $id) { ... on Deposit { certificateUrl } } }"
    link = (await gql(world.sealed.client, query, {"id": world.sealed.node_id}))["node"]
    downloaded = await client.get(link["certificateUrl"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200 and downloaded.content == pdf


async def test_the_bundle_names_the_pdf_and_a_pdf_modified_after_signing_fails(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    smtp_server: tuple[str, Any],
    tmp_path: Path,
) -> None:
    url, mailbox = smtp_server
    await _certify(database, settings, world, url)
    [message] = await mailbox.wait_for(1)
    [attachment] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    pdf: bytes = attachment.get_payload(decode=True)
    bundle = await bundle_of(database, settings, world)
    given = [GivenFile(p.name, file_sha256(p)) for p in world.files]
    roots = pki.trust_roots(settings)

    def check(document: bytes) -> Report:
        return verify_bundle(
            bundle, files=given, chain=world.reader, pdf=document, trust_roots=roots
        )

    intact = await asyncio.to_thread(check, pdf)
    position = pdf.index(world.sealed.reference.encode()[:3], len(pdf) // 3)
    altered = pdf[:position] + b"X" + pdf[position + 1 :]
    modified = await asyncio.to_thread(check, altered)
    appended = await asyncio.to_thread(check, pdf + b"\n%tampered\n")

    assert intact.ok, [c.message for c in intact.checks if c.status == "fail"]
    assert (
        bundle["certificate"]["signer_certificate_sha256"]
        == pki.platform_signer(settings).fingerprint
    )
    assert "pdf-signature" in modified.failures()
    # Its prefix is the certified report, but what follows is no valid B-LTA renewal.
    assert appended.failures() == {"pdf-renewal-invalid"}


async def test_the_report_is_in_english_on_request(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    scope = TenantScope(organisation_id=world.sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, world.sealed.deposit_id)
        assert deposit is not None
        author = await author_of(session=session, membership_id=deposit.author_membership_id)
        anchors = await _anchors(session, deposit.id)
        assert anchors is not None
        pdf, _ = await render_certificate(
            session=session,
            settings=settings,
            store=store_for(settings),
            deposit=deposit,
            author=author,
            anchors=anchors,
            locale="en",
        )
    text = _text(pdf)
    assert "CERTIFIEDREPORT" in text and "developmentchain—notapublicledger" in text
    assert "Capturetime(device)" in text and "Receipttime(server)" in text


async def test_deleting_a_deposit_forgets_its_report_record_and_place_but_not_its_hashes(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    smtp_server: tuple[str, Any],
    client: httpx.AsyncClient,
) -> None:
    url, _ = smtp_server
    certificate = await _certify(database, settings, world, url)
    store = store_for(settings)
    assert await store.exists(certificate.blob_key)
    delete = """mutation($d: ID!) { deleteDeposit(depositId: $d) {
      __typename ... on DepositDeleted { tombstone } } }"""

    deleted = await gql(world.sealed.client, delete, {"d": world.sealed.node_id})

    assert deleted["deleteDeposit"] == {"__typename": "DepositDeleted", "tombstone": True}
    # The report is released at once and removed by the collector after the grace period.
    collected = await collect(database=database, store=store, now=utcnow() + timedelta(days=2))
    assert certificate.blob_key in collected.removed
    assert not await store.exists(certificate.blob_key)
    scope = TenantScope(organisation_id=world.sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        left = await session.execute(
            select(SealedRecord).where(SealedRecord.deposit_id == world.sealed.deposit_id)
        )
        assert left.first() is None
    found = await client.get("/api/v1/verify", params={"sha256": file_sha256(world.files[0])})
    [item] = found.json()["items"]
    assert item["reference"] == world.sealed.reference and item["approximate_place"] is None
    assert item["anchor"] is not None
