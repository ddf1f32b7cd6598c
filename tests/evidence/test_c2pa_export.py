"""The deposit export carries a C2PA-credentialed copy of each sealed photo beside the original."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
from tests.factories import gql
from tests.integrity.helpers import sealed_deposit
from tests.integrity.proof_world import close_and_anchor
from typer.testing import CliRunner

from probant_platform.cli import app as cli_app
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.documents import pki
from probant_platform.evidence.credentials import credentialed_copy_of, read_credentials
from probant_platform.evidence.models import Deposit, EvidenceItem
from probant_platform.integrity.export import write_export
from probant_platform.storage import store_for


async def _exported(
    database: Database, client: httpx.AsyncClient, settings: Settings, anchored: bool = False
) -> tuple[Any, dict[str, bytes], dict[str, bytes], bytes]:
    sealed = await sealed_deposit(database, client, photos=2)
    if anchored:
        await close_and_anchor(database, settings)
    scope = TenantScope(organisation_id=sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, sealed.deposit_id)
        assert deposit is not None
        spool = await write_export(
            session=session, settings=settings, store=store_for(settings), deposit=deposit
        )
    with zipfile.ZipFile(spool) as archive:
        names = archive.namelist()
        originals = {n: archive.read(n) for n in names if n.startswith("media/")}
        copies = {n: archive.read(n) for n in names if n.startswith("credentials/")}
        bundle = archive.read("proof-bundle.json")
    spool.close()
    return sealed, originals, copies, bundle


async def test_the_export_holds_valid_credentialed_copies_and_untouched_originals(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    sealed, originals, copies, _ = await _exported(database, client, settings)
    reference = sealed.reference

    assert sorted(originals.values()) == sorted(sealed.photos)
    assert len(copies) == 2
    for name, copy in copies.items():
        original = originals[name.replace("credentials/", "media/")]
        check = read_credentials(copy, "image/jpeg", pki.trust_roots(settings))
        assert check.ok and check.state == "Trusted", check.failures
        assert check.capture is not None
        assert check.capture["original_sha256"] == hashlib.sha256(original).hexdigest()
        assert check.capture["deposit_reference"] == reference


async def test_probant_verify_validates_a_copy_and_catches_a_tampered_one(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    _, _, copies, bundle = await _exported(database, client, settings)
    (bundle_path := tmp_path / "bundle.json").write_bytes(bundle)
    (roots := tmp_path / "roots.pem").write_bytes(pki.trust_roots_pem(settings))
    first, second = sorted(copies)
    (good := tmp_path / "good.jpg").write_bytes(copies[first])
    altered = bytearray(copies[second])
    altered[-200] ^= 0x01
    (bad := tmp_path / "bad.jpg").write_bytes(bytes(altered))

    args = ["verify", str(good), str(bad), "--bundle", str(bundle_path), "--offline"]
    result = CliRunner().invoke(cli_app, [*args, "--ca", str(roots)])

    assert "good.jpg: C2PA copy of sealed item" in result.output
    assert "manifest valid" in result.output
    assert "bad.jpg: its C2PA manifest does not validate" in result.output
    assert "assertion.dataHash.mismatch" in result.output
    assert result.exit_code == 1


async def test_the_bundle_names_each_copy_and_a_re_signed_copy_is_caught(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    sealed, originals, copies, raw = await _exported(database, client, settings)
    bundle = json.loads(raw)

    assert bundle["version"] == 2
    named = {item["credentials"]["file"]: item for item in bundle["items"]}
    assert sorted(named) == sorted(copies)
    for name, item in named.items():
        # What `sha256sum credentials/…` prints: the copy, its manifest included.
        assert item["credentials"]["sha256"] == hashlib.sha256(copies[name]).hexdigest()
        assert (
            item["sha256"]
            == hashlib.sha256(originals[name.replace("credentials/", "media/")]).hexdigest()
        )
        # The v1 parts stay as a v1 reader knows them: only the one optional field is added.
        assert set(item) - V1_ITEM_FIELDS == {"credentials"}

    # A copy made again from the same original: a valid, trusted C2PA file, but not the copy
    # this export's bundle names (its manifest was re-signed).
    first = sorted(copies)[0]
    original = originals[first.replace("credentials/", "media/")]
    scope = TenantScope(organisation_id=sealed.owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        deposit = await session.get(Deposit, sealed.deposit_id)
        item = await session.get(EvidenceItem, uuid.UUID(named[first]["id"]))
        assert deposit is not None and item is not None
        again = await credentialed_copy_of(settings, deposit, item, original)
    assert read_credentials(again, "image/jpeg", pki.trust_roots(settings)).state == "Trusted"
    (bundle_path := tmp_path / "bundle.json").write_bytes(raw)
    (roots := tmp_path / "roots.pem").write_bytes(pki.trust_roots_pem(settings))
    (named_copy := tmp_path / "named.jpg").write_bytes(copies[first])
    (resigned := tmp_path / "resigned.jpg").write_bytes(again)

    args = ["verify", str(named_copy), str(resigned), "--bundle", str(bundle_path), "--offline"]
    result = CliRunner().invoke(cli_app, [*args, "--ca", str(roots)])

    assert "named.jpg: C2PA copy of sealed item" in result.output
    assert "the copy the bundle names" in result.output
    assert "resigned.jpg: a valid C2PA copy of sealed item" in result.output
    assert "its manifest was replaced or re-signed" in result.output
    assert result.exit_code == 1


async def test_once_anchored_the_manifest_states_the_batch_and_the_chain_transaction(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    _, _, copies, raw = await _exported(database, client, settings, anchored=True)
    bundle = json.loads(raw)
    by_copy = {item["credentials"]["file"]: item for item in bundle["items"]}
    batches = {batch["sequence"]: batch for batch in bundle["batches"]}

    for name, copy in copies.items():
        check = read_credentials(copy, "image/jpeg", pki.trust_roots(settings))
        assert check.ok and check.capture is not None, check.failures
        item = by_copy[name]
        batch = batches[item["leaf"]["batch"]]
        assert check.capture["anchor"] == {
            "batch": batch["sequence"],
            "root": batch["root"],
            "leaf_hash": item["leaf"]["hash"],
            "network": "development",
            "chain_id": batch["anchor"]["chain_id"],
            "transaction_hash": batch["anchor"]["transaction_hash"],
            "block_number": batch["anchor"]["block_number"],
            "block_time": batch["anchor"]["block_time"],
        }


async def test_before_the_anchor_the_manifest_states_none(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    _, _, copies, _ = await _exported(database, client, settings)
    for copy in copies.values():
        check = read_credentials(copy, "image/jpeg", pki.trust_roots(settings))
        assert check.capture is not None and "anchor" not in check.capture


V1_ITEM_FIELDS = set(
    json.loads(
        (Path(__file__).parents[1] / "integrity/fixtures/bundle-v1/proof-bundle.json").read_text(
            "utf-8"
        )
    )["items"][0]
)


ITEMS = "query($id: ID!) { node(id: $id) { ... on Deposit { items { sha256 credentialsUrl } } } }"


async def test_each_sealed_item_links_to_its_credentialed_copy(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    sealed = await sealed_deposit(database, client, photos=2)
    await close_and_anchor(database, settings)
    items = (await gql(sealed.client, ITEMS, {"id": sealed.node_id}))["node"]["items"]

    assert len(items) == 2
    for item in items:
        response = await client.get(item["credentialsUrl"].removeprefix("http://testserver"))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/jpeg"
        check = read_credentials(response.content, "image/jpeg", pki.trust_roots(settings))
        assert check.ok and check.state == "Trusted", check.failures
        assert check.capture is not None
        assert check.capture["original_sha256"] == item["sha256"]
        assert check.capture["deposit_reference"] == sealed.reference
        assert "transaction_hash" in check.capture["anchor"]

    # The link is signed for this variant: pointed at another, it is refused.
    forged = items[0]["credentialsUrl"].replace("variant=credentials", "variant=original")
    assert (await client.get(forged.removeprefix("http://testserver"))).status_code == 403
