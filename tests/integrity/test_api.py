"""The archive shows a deposit's anchor, proof bundle and export; the public page shows little."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest
from tests.e2e.live import serve
from tests.factories import gql, log_in, make_organisation
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of
from typer.testing import CliRunner

from probant_platform.cli import app as cli_app
from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.integrity.verify import GivenFile, file_sha256, verify_bundle
from probant_platform.web.app import create_app

DEPOSIT = """
query($id: ID!) { node(id: $id) { ... on Deposit {
  reference certificateUrl exportUrl proofBundle
  integrity { status batchSequences verificationUrl
              anchors { chainId transactionHash blockNumber development label } }
} } }"""


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


async def test_the_archive_shows_the_anchor_labelled_and_a_bundle_that_verifies(
    world: ProofWorld,
) -> None:
    deposit = (await gql(world.sealed.client, DEPOSIT, {"id": world.sealed.node_id}))["node"]

    integrity = deposit["integrity"]
    assert integrity["status"] == "ANCHORED"
    assert integrity["verificationUrl"].endswith(f"/verify/{world.sealed.reference}")
    [anchor] = integrity["anchors"]
    assert anchor["development"] and anchor["chainId"] == "131277322940537"
    assert anchor["label"] == "chaîne de développement — pas un registre public"
    bundle = deposit["proofBundle"]
    assert bundle["format"] == "probant-proof-bundle" and bundle["version"] == 2
    assert bundle["deposit"]["reference"] == world.sealed.reference
    given = [GivenFile(p.name, file_sha256(p)) for p in world.files]
    assert verify_bundle(bundle, files=given, chain=world.reader).ok
    assert deposit["certificateUrl"] is None  # the report comes from its own job


async def test_another_organisation_gets_no_bundle(
    world: ProofWorld, database: Database, client_factory: object
) -> None:
    other = await make_organisation(database)
    stranger = client_factory()  # type: ignore[operator]
    await log_in(stranger, other)
    found = await gql(stranger, DEPOSIT, {"id": world.sealed.node_id})
    assert found["node"] is None


async def test_the_export_is_a_zip_of_the_media_and_the_bundle(
    world: ProofWorld, client: httpx.AsyncClient
) -> None:
    deposit = (await gql(world.sealed.client, DEPOSIT, {"id": world.sealed.node_id}))["node"]
    path = deposit["exportUrl"].removeprefix("http://testserver")

    response = await client.get(path)

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "proof-bundle.json" in names and "README.txt" in names
    media = sorted(n for n in names if n.startswith("media/"))
    assert len(media) == 3
    assert sorted(archive.read(n) for n in media) == sorted(world.sealed.photos)
    bundle = json.loads(archive.read("proof-bundle.json"))
    assert bundle["deposit"]["reference"] == world.sealed.reference
    forged = path.replace("signature=", "signature=0")
    assert (await client.get(forged)).status_code == 403


async def test_the_public_lookup_gives_facts_but_no_identity(
    world: ProofWorld, client: httpx.AsyncClient
) -> None:
    sha = file_sha256(world.files[0])

    response = await client.get("/api/v1/verify", params={"sha256": sha})

    assert response.status_code == 200
    body = response.json()
    [item] = body["items"]
    assert item["reference"] == world.sealed.reference and item["sha256"] == sha
    assert item["approximate_place"] == {"latitude": 48.86, "longitude": 2.35, "precision_km": 1}
    assert item["anchor"]["label"] == "chaîne de développement — pas un registre public"
    text = response.text
    for secret in ("Camille", "Dégât des eaux", "Rivoli", "Cabinet", "48.8566", "example.com"):
        assert secret not in text
    missing = await client.get("/api/v1/verify", params={"sha256": "0" * 64})
    assert missing.json() == {"found": False, "items": [], "documents": []}
    bad = await client.get("/api/v1/verify", params={"sha256": "not-a-hash"})
    assert bad.status_code == 400


async def test_the_lookup_is_rate_limited(client: httpx.AsyncClient, app: object) -> None:
    app.state.verify_limiter._calls.clear()  # type: ignore[attr-defined]
    statuses = [
        (await client.get("/api/v1/verify", params={"sha256": "1" * 64})).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    app.state.verify_limiter._calls.clear()  # type: ignore[attr-defined]


async def test_the_page_is_french_by_default_english_on_request_and_shows_a_reference(
    world: ProofWorld, client: httpx.AsyncClient
) -> None:
    french = await client.get("/verify")
    english = await client.get("/verify", params={"lang": "en"})
    by_reference = await client.get(f"/verify/{world.sealed.reference}")

    assert "Vérifier une preuve Probant" in french.text
    assert "Verify a Probant proof" in english.text
    assert "script-src 'self'" in french.headers["content-security-policy"]
    assert file_sha256(world.files[0]) in by_reference.text
    assert "chaîne de développement — pas un registre public" in by_reference.text
    assert "Dégât des eaux" not in by_reference.text
    assert (await client.get("/verify/verify.js")).status_code == 200


async def test_probant_verify_checks_the_anchor_over_json_rpc(
    world: ProofWorld, database: Database, settings: Settings, tmp_path: Path
) -> None:
    bundle_path = tmp_path / "bundle.json"
    bundle_path.write_text(json.dumps(await bundle_of(database, settings, world)))
    runner = CliRunner()
    with serve(create_app(settings, configure_logs=False)) as origin:
        rpc = f"{origin}/dev-chain/rpc"
        args = ["verify", *map(str, world.files), "--bundle", str(bundle_path), "--rpc", rpc]
        passed = runner.invoke(cli_app, args)
        tampered = tmp_path / "photo-2.jpg"
        tampered.write_bytes(b"x" + tampered.read_bytes()[1:])
        failed = runner.invoke(cli_app, args)

    assert passed.exit_code == 0, passed.output
    assert "✔ PASS" in passed.output and "VERDICT: every check passed." in passed.output
    assert "development chain — not a public ledger" in passed.output
    assert failed.exit_code == 1
    assert "photo-2.jpg: its SHA-256" in failed.output
    assert "VERDICT: 1 check(s) failed" in failed.output
