"""Batch roots re-timestamped under a stronger hash (`PROBANT_ROOT_RETIMESTAMP_HASH`): the
renewal job adds a token over the root and the first token, the bundle carries it, `probant
verify` checks it (and catches every tamper), and openssl accepts it."""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of
from typer.testing import CliRunner

from probant_platform.cli import app
from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.documents import pki
from probant_platform.integrity.renewals import run_renewals
from probant_platform.integrity.verify import GivenFile, Report, file_sha256, verify_bundle
from probant_platform.storage import store_for


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


def _stronger(settings: Settings) -> Settings:
    return settings.model_copy(update={"root_retimestamp_hash": "sha512"})


@pytest.fixture
async def bundle(world: ProofWorld, database: Database, settings: Settings) -> dict[str, Any]:
    """The deposit's bundle after a renewal run with SHA-512 re-timestamping on."""
    await run_renewals(database=database, settings=_stronger(settings), store=store_for(settings))
    return await bundle_of(database, settings, world)


def _verify(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings, roots: list[Any] | None = None
) -> Report:
    return verify_bundle(
        bundle,
        files=[GivenFile(p.name, file_sha256(p)) for p in world.files],
        chain=world.reader,
        trust_roots=pki.trust_roots(settings) if roots is None else roots,
    )


def _own_batch(bundle: dict[str, Any]) -> dict[str, Any]:
    sequence = bundle["items"][0]["leaf"]["batch"]
    return next(b for b in bundle["batches"] if b["sequence"] == sequence)


async def test_off_by_default_the_job_adds_no_token(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    assert settings.root_retimestamp_hash is None

    run = await run_renewals(database=database, settings=settings, store=store_for(settings))

    assert run.retimestamped == []
    bundle = await bundle_of(database, settings, world)
    assert "retimestamps" not in _own_batch(bundle)
    assert _verify(world, bundle, settings).ok


async def test_the_job_retimestamps_the_root_under_sha512_and_verify_accepts_it(
    world: ProofWorld, bundle: dict[str, Any], database: Database, settings: Settings
) -> None:
    batch = _own_batch(bundle)
    [later] = batch["retimestamps"]
    assert later["imprint_algorithm"] == "sha512"
    assert later["covers"] == "root+previous-token"
    assert "not a trusted time source" in later["label"]
    assert later["token"] != batch["timestamp"]["token"]

    report = _verify(world, bundle, settings)

    assert report.ok, [c.message for c in report.checks if c.status != "pass"]
    [message] = [c.message for c in report.checks if c.reason == "retimestamp-valid"]
    assert f"batch {batch['sequence']}: re-timestamp 1 (sha512" in message
    assert later["generated_at"] in message

    # The next run leaves a batch already under SHA-512 alone.
    again = await run_renewals(
        database=database, settings=_stronger(settings), store=store_for(settings)
    )
    assert not {b.id for b in world.batches} & set(again.retimestamped)
    assert _own_batch(await bundle_of(database, settings, world))["retimestamps"] == [later]


def _flip_signature_byte(batch: dict[str, Any], _: dict[str, Any]) -> None:
    token = bytearray(base64.b64decode(batch["retimestamps"][0]["token"]))
    token[-10] ^= 0x01
    batch["retimestamps"][0]["token"] = base64.b64encode(bytes(token)).decode()


def _first_token_swapped(batch: dict[str, Any], bundle: dict[str, Any]) -> None:
    """The first token replaced by another batch's: the re-timestamp no longer covers it."""
    other = next(b for b in bundle["batches"] if b["sequence"] != batch["sequence"])
    batch["timestamp"] = copy.deepcopy(other["timestamp"])


def _edited_time(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["retimestamps"][0]["generated_at"] = "2020-01-01T00:00:00.000000Z"


def _weaker_hash_claimed(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["retimestamps"][0]["imprint_algorithm"] = "sha384"


def _first_token_removed(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["timestamp"] = None


def _garbage(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["retimestamps"][0]["token"] = base64.b64encode(b"not a token").decode()


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_flip_signature_byte, "retimestamp-signature-invalid"),
        (_first_token_swapped, "retimestamp-other-root"),
        (_edited_time, "retimestamp-mismatch"),
        (_weaker_hash_claimed, "retimestamp-other-root"),
        (_first_token_removed, "retimestamp-orphan"),
        (_garbage, "retimestamp-unreadable"),
    ],
)
async def test_a_tampered_retimestamp_is_refused_with_its_reason(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings, tamper: Any, reason: str
) -> None:
    tampered = copy.deepcopy(bundle)
    tamper(_own_batch(tampered), tampered)

    report = _verify(world, tampered, settings)

    assert not report.ok
    assert reason in report.failures()


async def test_a_retimestamp_from_an_untrusted_authority_is_refused(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings
) -> None:
    stranger = pki.create_authority("Some other CA").certificate

    assert "retimestamp-untrusted" in _verify(world, bundle, settings, [stranger]).failures()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
async def test_openssl_accepts_the_retimestamp_over_the_root_and_the_first_token(
    bundle: dict[str, Any], settings: Settings, tmp_path: Path
) -> None:
    batch = _own_batch(bundle)
    token = tmp_path / "batch-retimestamp-1.tst"
    token.write_bytes(base64.b64decode(batch["retimestamps"][0]["token"]))
    ca = tmp_path / "root.pem"
    ca.write_bytes(pki.trust_roots_pem(settings))

    def openssl_verify(data: bytes) -> subprocess.CompletedProcess[str]:
        covered = tmp_path / "covered.bin"
        covered.write_bytes(data)
        return subprocess.run(
            [
                *("openssl", "ts", "-verify", "-data", str(covered), "-token_in"),
                *("-in", str(token), "-CAfile", str(ca)),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    first = base64.b64decode(batch["timestamp"]["token"])
    accepted = openssl_verify(bytes.fromhex(batch["root"]) + first)
    assert accepted.returncode == 0, accepted.stderr
    assert "Verification: OK" in accepted.stdout

    refused = openssl_verify(bytes.fromhex(batch["root"]) + first[:-1])
    assert refused.returncode != 0
    assert "Verification: FAILED" in refused.stdout


async def test_probant_verify_prints_the_retimestamp_and_refuses_a_tampered_one(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings, tmp_path: Path
) -> None:
    ca = tmp_path / "roots.pem"
    ca.write_bytes(pki.trust_roots_pem(settings))
    sequence = _own_batch(bundle)["sequence"]

    def run(document: dict[str, Any]) -> Any:
        path = tmp_path / "proof-bundle.json"
        path.write_text(json.dumps(document), "utf-8")
        photos = [str(p) for p in world.files]
        arguments = ["verify", *photos, "--bundle", str(path), "--offline", "--ca", str(ca)]
        return CliRunner().invoke(app, arguments)

    intact = await asyncio.to_thread(run, bundle)
    assert intact.exit_code == 0, intact.stdout
    assert f"✔ PASS  batch {sequence}: re-timestamp 1 (sha512, over the root and" in intact.stdout

    tampered = copy.deepcopy(bundle)
    _flip_signature_byte(_own_batch(tampered), tampered)
    refused = await asyncio.to_thread(run, tampered)
    assert refused.exit_code == 1
    assert f"✘ FAIL  batch {sequence}: re-timestamp 1 (sha512): " in refused.stdout
