"""The B-LTA renewal job on archived PDFs: the sealed version stays, renewals are new versions
that begin with its bytes, and both verify — with `probant verify`, pyHanko and `pdfsig`
(which checks the signature and lists, without checking, the document timestamp)."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from tests.factories import gql
from tests.integrity.documents_world import issued_documents
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.documents import pki
from probant_platform.documents.renewal import pades_level, renewal_horizon, validation_horizon
from probant_platform.documents.timestamps import long_term
from probant_platform.evidence.models import Deposit
from probant_platform.integrity.bundle import proof_bundle
from probant_platform.integrity.certificates import certify_deposit
from probant_platform.integrity.export import write_export
from probant_platform.integrity.models import Certificate, PdfVersion
from probant_platform.integrity.renewals import RenewalRun, renew_tenant, run_renewals
from probant_platform.integrity.verify import Report, Status, verify_bundle
from probant_platform.notifications.mailer import SmtpMailer
from probant_platform.storage import BlobStore, store_for


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


async def _read(store: BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.open_stream(key)])


def _scope(world: ProofWorld) -> TenantScope:
    return TenantScope(organisation_id=world.sealed.owner.organisation_id)


async def _versions(database: Database, world: ProofWorld, certificate: uuid.UUID) -> list[Any]:
    async with database.unit_of_work(_scope(world)) as session:
        rows = await session.execute(
            select(PdfVersion)
            .where(PdfVersion.certificate_id == certificate)
            .order_by(PdfVersion.version)
        )
        return list(rows.scalars())


async def _renew_at(database: Database, settings: Settings, world: ProofWorld, now: Any) -> None:
    """One pass of the job for this test's tenant only (the database is shared)."""
    async with database.unit_of_work(_scope(world)) as session:
        await renew_tenant(
            session=session,
            store=store_for(settings),
            long_term=long_term(settings),
            organisation_id=world.sealed.owner.organisation_id,
            settings=settings,
            now=now,
            run=RenewalRun(),
        )


def _run(command: list[Any]) -> None:
    subprocess.run(command, check=True)


async def _verify(bundle: dict[str, Any], pdf: bytes, roots: Any) -> Report:
    # pyHanko's synchronous validators start their own event loop: off this one.
    return await asyncio.to_thread(lambda: verify_bundle(bundle, pdf=pdf, trust_roots=roots))


def _reasons(report: Report, status: Status) -> set[str]:
    return {c.reason for c in report.checks if c.status is status}


@pytest.fixture
async def certified(
    world: ProofWorld, database: Database, settings: Settings, smtp_server: tuple[str, Any]
) -> Certificate:
    certificate = await certify_deposit(
        database=database,
        settings=settings,
        mailer=SmtpMailer(smtp_server[0]),
        organisation_id=world.sealed.owner.organisation_id,
        deposit_id=world.sealed.deposit_id,
    )
    assert certificate is not None and certificate.blob_key is not None
    return certificate


async def test_the_job_records_the_sealed_version_and_renews_it_before_its_horizon(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    certified: Certificate,
    client: httpx.AsyncClient,
) -> None:
    store = store_for(settings)
    assert certified.blob_key is not None
    original = await _read(store, certified.blob_key)
    roots = pki.trust_roots(settings)

    # Today: the report is measured (version 0, the sealed bytes) and far from its horizon.
    await run_renewals(database=database, settings=settings, store=store)
    [sealed] = await _versions(database, world, certified.id)
    assert (sealed.version, sealed.sha256, sealed.blob_key) == (
        0,
        certified.pdf_sha256,
        certified.blob_key,
    )
    assert sealed.valid_until == validation_horizon(original)
    assert sealed.valid_until > utcnow() + renewal_horizon(settings)
    assert await asyncio.to_thread(pades_level, original, roots) == "B-LT"

    # Inside the renewal window: a new version, the old bytes followed by a document timestamp.
    await _renew_at(
        database, settings, world, sealed.valid_until - renewal_horizon(settings) + timedelta(1)
    )
    versions = await _versions(database, world, certified.id)
    assert [v.version for v in versions] == [0, 1]
    assert versions[0].blob_key == certified.blob_key  # the sealed version is never replaced
    renewed = await _read(store, versions[1].blob_key)
    assert renewed.startswith(original) and len(renewed) > len(original)
    assert hashlib.sha256(renewed).hexdigest() == versions[1].sha256 != certified.pdf_sha256
    assert await asyncio.to_thread(pades_level, renewed, roots) == "B-LTA"

    # The bundle still names the sealed hash; the renewed PDF proves it as well.
    bundle = await bundle_of(database, settings, world)
    assert bundle["certificate"]["pdf_sha256"] == certified.pdf_sha256
    for pdf in (original, renewed):
        report = await _verify(bundle, pdf, roots)
        assert {"pdf-not-this-certificate", "pdf-signature"}.isdisjoint(report.failures())
        assert "pdf-signature" in _reasons(report, Status.PASS)
    report = await _verify(bundle, renewed, roots)
    assert "pdf-renewed" in _reasons(report, Status.PASS)

    # The archive shows the new horizon and its download link serves the newest version.
    query = (
        "query($id: ID!) { node(id: $id) { ... on Deposit { certificateUrl "
        "certificateValidUntil } } }"
    )
    shown = (await gql(world.sealed.client, query, {"id": world.sealed.node_id}))["node"]
    assert shown["certificateValidUntil"] == versions[1].valid_until.isoformat()
    downloaded = await client.get(shown["certificateUrl"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200 and downloaded.content == renewed

    # The export ships the newest version.
    async with database.unit_of_work(_scope(world)) as session:
        deposit = await session.get(Deposit, world.sealed.deposit_id)
        assert deposit is not None
        spool = await write_export(session=session, settings=settings, store=store, deposit=deposit)
    with zipfile.ZipFile(spool) as archive:
        assert archive.read("certificate.pdf") == renewed
    spool.close()


async def test_a_tampered_renewal_or_original_is_caught(
    world: ProofWorld, database: Database, settings: Settings, certified: Certificate
) -> None:
    store = store_for(settings)
    assert certified.blob_key is not None
    original = await _read(store, certified.blob_key)
    await run_renewals(database=database, settings=settings, store=store)
    [sealed] = await _versions(database, world, certified.id)
    await _renew_at(
        database, settings, world, sealed.valid_until - renewal_horizon(settings) + timedelta(1)
    )
    renewed = await _read(store, (await _versions(database, world, certified.id))[1].blob_key)
    bundle = await bundle_of(database, settings, world)
    roots = pki.trust_roots(settings)

    # A byte of the sealed part: no prefix has the sealed hash any more.
    at = renewed.index(b"/MediaBox")
    in_sealed = renewed[:at] + b"/MediaBoy" + renewed[at + 9 :]
    report = await _verify(bundle, in_sealed, roots)
    assert "pdf-not-this-certificate" in report.failures()

    # A byte of the document timestamp's signed data: the renewal no longer validates.
    stamp = renewed.rindex(b"/Contents <") + len(b"/Contents <") + 3000
    digit = b"0" if renewed[stamp : stamp + 1] != b"0" else b"1"
    in_stamp = renewed[:stamp] + digit + renewed[stamp + 1 :]
    report = await _verify(bundle, in_stamp, roots)
    assert "pdf-renewal-invalid" in report.failures()
    assert await asyncio.to_thread(pades_level, in_stamp, roots) is None
    assert len(original) < stamp


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="poppler-utils and libnss3-tools are needed (scripts/system-deps.sh)",
)
async def test_pdfsig_finds_the_seal_valid_after_renewal_and_lists_the_timestamp(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    certified: Certificate,
    tmp_path: Path,
) -> None:
    store = store_for(settings)
    await run_renewals(database=database, settings=settings, store=store)
    [sealed] = await _versions(database, world, certified.id)
    await _renew_at(
        database, settings, world, sealed.valid_until - renewal_horizon(settings) + timedelta(1)
    )
    renewed = await _read(store, (await _versions(database, world, certified.id))[1].blob_key)
    (root := tmp_path / "root.pem").write_bytes(pki.trust_roots_pem(settings))
    (nss := tmp_path / "nss").mkdir()
    for command in (
        ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"],
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "probant", "-t", "CT,C,C", "-a", "-i", root],
    ):
        await asyncio.to_thread(_run, command)
    (pdf := tmp_path / "renewed.pdf").write_bytes(renewed)

    report = (
        await asyncio.to_thread(
            subprocess.run,
            ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    ).stdout

    first, second = report.split("Signature #2:")
    # The seal itself: valid and trusted, with only the renewal appended after it.
    assert "Signature is Valid." in first and "Certificate is Trusted." in first, report
    # The renewal: listed as the development TSA's signature over the whole previous file.
    # poppler does not verify document timestamps ("not yet been verified"): pyHanko does,
    # in the test above (B-LTA); docs/verification.md says so.
    assert pki.DEVELOPMENT_TSA_NAME in second, report
    assert "Signature has not yet been verified." in second, report


async def test_the_office_attestation_is_renewed_and_still_proves(
    database: Database, settings: Settings, client_factory: Any
) -> None:
    issued = await issued_documents(database, client_factory(), client_factory(), settings)
    scope = TenantScope(organisation_id=issued.sealed.owner.organisation_id)
    store = store_for(settings)
    horizon = validation_horizon(issued.attestation)
    assert horizon is not None

    async with database.unit_of_work(scope) as session:
        await renew_tenant(
            session=session,
            store=store,
            long_term=long_term(settings),
            organisation_id=issued.sealed.owner.organisation_id,
            settings=settings,
            now=horizon - renewal_horizon(settings) + timedelta(1),
            run=(run := RenewalRun()),
        )
        rows = await session.execute(
            select(PdfVersion)
            .where(PdfVersion.office_document_id.is_not(None))
            .order_by(PdfVersion.version)
        )
        versions = list(rows.scalars())
    # The report and the attestation: both measured, both renewed.
    assert run.measured == 2 and len(run.renewed) == 2
    assert [v.version for v in versions] == [0, 1]
    assert versions[0].sha256 == hashlib.sha256(issued.attestation).hexdigest()
    renewed = await _read(store, versions[1].blob_key)
    assert renewed.startswith(issued.attestation)
    roots = pki.trust_roots(settings)
    assert await asyncio.to_thread(pades_level, renewed, roots) == "B-LTA"

    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, issued.sealed.deposit_id)
        assert deposit is not None
        bundle = await proof_bundle(session=session, settings=settings, deposit=deposit)
        spool = await write_export(session=session, settings=settings, store=store, deposit=deposit)
    report = await _verify(bundle, renewed, roots)
    assert {"pdf-office-document", "pdf-renewed", "pdf-signature"} <= _reasons(report, Status.PASS)
    assert not report.failures() & {"pdf-signature", "pdf-renewal-invalid", "pdf-not-listed"}
    with zipfile.ZipFile(spool) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("office-documents/")]
        assert archive.read(name) == renewed
    spool.close()


def test_the_renewal_is_a_daily_periodic_job() -> None:
    import probant_platform.jobs.registry  # noqa: F401  (what the worker imports at start)
    from probant_platform.jobs.queue import job_app

    periodic = {
        task.task.name: task.cron for task in job_app.periodic_registry.periodic_tasks.values()
    }
    assert periodic["integrity.renew_pdfs"] == "17 3 * * *"


async def test_a_document_whose_file_is_gone_is_logged_and_left_for_the_next_run(
    world: ProofWorld, database: Database, settings: Settings, certified: Certificate
) -> None:
    store = store_for(settings)
    assert certified.blob_key is not None
    await store.delete(certified.blob_key)

    run = RenewalRun()
    async with database.unit_of_work(_scope(world)) as session:
        await renew_tenant(
            session=session,
            store=store,
            long_term=long_term(settings),
            organisation_id=world.sealed.owner.organisation_id,
            settings=settings,
            now=utcnow(),
            run=run,
        )

    assert (run.failed, run.measured, run.renewed) == (1, 0, [])
    assert await _versions(database, world, certified.id) == []


DELETE = """mutation($d: ID!) { deleteDeposit(depositId: $d) {
  __typename ... on DepositDeleted { tombstone } } }"""


async def test_deleting_the_deposit_releases_every_version_to_the_collector(
    world: ProofWorld, database: Database, settings: Settings, certified: Certificate
) -> None:
    store = store_for(settings)
    await run_renewals(database=database, settings=settings, store=store)
    [sealed] = await _versions(database, world, certified.id)
    await _renew_at(
        database, settings, world, sealed.valid_until - renewal_horizon(settings) + timedelta(1)
    )
    keys = [v.blob_key for v in await _versions(database, world, certified.id)]
    assert len(keys) == 2

    deleted = await gql(world.sealed.client, DELETE, {"d": world.sealed.node_id})

    assert deleted["deleteDeposit"] == {"__typename": "DepositDeleted", "tombstone": True}
    assert await _versions(database, world, certified.id) == []
    async with database.unit_of_work(_scope(world)) as session:
        for key in keys:
            used = await session.execute(text("SELECT probant_blob_referenced(:k)"), {"k": key})
            assert used.scalar_one() is False
        due = await session.execute(
            text("SELECT * FROM probant_blobs_due(:before, 100000)"),
            {"before": utcnow() + timedelta(days=30)},
        )
        assert set(keys) <= set(due.scalars())


async def test_verify_recognises_a_renewed_pdf_dropped_on_it(
    world: ProofWorld,
    database: Database,
    settings: Settings,
    certified: Certificate,
    client: httpx.AsyncClient,
) -> None:
    store = store_for(settings)
    await run_renewals(database=database, settings=settings, store=store)
    [sealed] = await _versions(database, world, certified.id)
    assert sealed.valid_until is not None
    await _renew_at(
        database, settings, world, sealed.valid_until - renewal_horizon(settings) + timedelta(1)
    )
    renewed = (await _versions(database, world, certified.id))[-1]

    # What the /verify page sends once the browser has hashed the dropped file.
    english = await client.get(
        "/api/v1/verify", params={"sha256": renewed.sha256.upper(), "lang": "en"}
    )
    assert english.status_code == 200
    body = english.json()
    assert body["found"] is True and body["items"] == []
    [document] = body["documents"]
    assert document["sha256"] == renewed.sha256
    assert document["label"] == (
        "Certified report — renewed version 1 (archive timestamp added, PAdES B-LTA)"
    )
    assert document["reference"] == world.sealed.reference
    assert (document["renewal_of"], document["renewal"]) == (certified.pdf_sha256, 1)
    assert document["signer_certificate_sha256"] == certified.signer_fingerprint

    french = await client.get("/api/v1/verify", params={"sha256": renewed.sha256, "lang": "fr"})
    assert french.json()["documents"][0]["label"] == (
        "Rapport certifié — version renouvelée n° 1 (horodatage d'archivage ajouté, PAdES B-LTA)"
    )
    # The document as signed is still recognised as itself, and the deposit lists both.
    [first] = (
        await client.get("/api/v1/verify", params={"sha256": certified.pdf_sha256, "lang": "en"})
    ).json()["documents"]
    assert (first["label"], first["renewal_of"], first["renewal"]) == (
        "Certified report",
        None,
        None,
    )
    page = await client.get(f"/verify/{world.sealed.reference}", params={"lang": "en"})
    assert "Certified report — renewed version 1" in page.text
    assert renewed.sha256 in page.text
