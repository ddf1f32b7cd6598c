"""Batch roots carry an RFC 3161 token: in the bundle (v2), checked offline, and by openssl."""

from __future__ import annotations

import base64
import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.integrity.helpers import synthetic_leaves
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of, close_and_anchor

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.documents import pki
from probant_platform.integrity.models import Anchor, AnchorStatus, BatchTimestamp
from probant_platform.integrity.timestamps import stamp_unstamped
from probant_platform.integrity.verify import GivenFile, Report, file_sha256, verify_bundle


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


@pytest.fixture
async def bundle(world: ProofWorld, database: Database, settings: Settings) -> dict[str, Any]:
    return await bundle_of(database, settings, world)


def _verify(
    world: ProofWorld, bundle: dict[str, Any], roots: list[Any] | None = None, *, settings: Settings
) -> Report:
    given = [GivenFile(p.name, file_sha256(p)) for p in world.files]
    return verify_bundle(
        bundle,
        files=given,
        chain=world.reader,
        trust_roots=pki.trust_roots(settings) if roots is None else roots,
    )


def _own_batch(bundle: dict[str, Any]) -> dict[str, Any]:
    sequence = bundle["items"][0]["leaf"]["batch"]
    return next(b for b in bundle["batches"] if b["sequence"] == sequence)


async def test_every_batch_root_is_timestamped_and_verified_offline(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings
) -> None:
    assert bundle["version"] == 2
    assert all(b["timestamp"] is not None for b in bundle["batches"])
    stamp = _own_batch(bundle)["timestamp"]
    assert stamp["type"] == "rfc3161"
    assert "not a trusted time source" in stamp["label"]

    report = _verify(world, bundle, settings=settings)

    assert report.ok, [c.message for c in report.checks if c.status != "pass"]
    [message] = [c.message for c in report.checks if c.reason == "timestamp-valid"]
    assert stamp["generated_at"] in message


def _flip_signature_byte(batch: dict[str, Any], _: dict[str, Any]) -> None:
    token = bytearray(base64.b64decode(batch["timestamp"]["token"]))
    token[-10] ^= 0x01  # inside the signature value, the last field of the token
    batch["timestamp"]["token"] = base64.b64encode(bytes(token)).decode()


def _another_batch_token(batch: dict[str, Any], bundle: dict[str, Any]) -> None:
    other = next(b for b in bundle["batches"] if b["sequence"] != batch["sequence"])
    batch["timestamp"] = copy.deepcopy(other["timestamp"])
    batch["timestamp"]["generated_at"] = other["timestamp"]["generated_at"]


def _edited_time(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["timestamp"]["generated_at"] = "2020-01-01T00:00:00.000000Z"


def _garbage(batch: dict[str, Any], _: dict[str, Any]) -> None:
    batch["timestamp"]["token"] = base64.b64encode(b"not a token").decode()


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_flip_signature_byte, "timestamp-signature-invalid"),
        (_another_batch_token, "timestamp-other-root"),
        (_edited_time, "timestamp-mismatch"),
        (_garbage, "timestamp-unreadable"),
    ],
)
async def test_a_tampered_token_is_refused_with_its_reason(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings, tamper: Any, reason: str
) -> None:
    tampered = copy.deepcopy(bundle)
    tamper(_own_batch(tampered), tampered)

    report = _verify(world, tampered, settings=settings)

    assert not report.ok
    assert reason in report.failures()


async def test_a_token_from_an_untrusted_authority_is_refused(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings
) -> None:
    stranger = pki.create_authority("Some other CA").certificate

    report = _verify(world, bundle, [stranger], settings=settings)

    assert "timestamp-untrusted" in report.failures()


async def test_a_version_1_bundle_still_verifies_as_before(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings
) -> None:
    v1 = copy.deepcopy(bundle)
    v1["version"] = 1
    for batch in v1["batches"]:
        del batch["timestamp"]

    report = _verify(world, v1, settings=settings)

    assert report.ok
    assert not [c for c in report.checks if c.reason.startswith("timestamp")]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
async def test_openssl_accepts_the_exported_token(
    bundle: dict[str, Any], settings: Settings, tmp_path: Path
) -> None:
    batch = _own_batch(bundle)
    token = tmp_path / "batch.tst"
    token.write_bytes(base64.b64decode(batch["timestamp"]["token"]))
    root = tmp_path / "root.pem"
    root.write_bytes(pki.trust_roots_pem(settings))

    def openssl_verify(digest: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *("openssl", "ts", "-verify", "-digest", digest, "-token_in"),
                *("-in", str(token), "-CAfile", str(root)),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    accepted = openssl_verify(batch["root"])
    assert accepted.returncode == 0, accepted.stderr
    assert "Verification: OK" in accepted.stdout

    other_root = next(b for b in bundle["batches"] if b is not batch)["root"]
    refused = openssl_verify(other_root)
    assert refused.returncode != 0
    assert "Verification: FAILED" in refused.stdout


async def test_without_trust_roots_a_token_is_still_checked_for_tampering(
    world: ProofWorld, bundle: dict[str, Any], settings: Settings
) -> None:
    intact = _verify(world, bundle, [], settings=settings)
    assert intact.ok
    [skipped] = [c for c in intact.checks if c.reason == "timestamp-unchecked"]
    assert skipped.status == "skip" and "--ca" in skipped.message

    tampered = copy.deepcopy(bundle)
    _another_batch_token(_own_batch(tampered), tampered)
    assert "timestamp-other-root" in _verify(world, tampered, [], settings=settings).failures()


async def test_anchoring_goes_on_when_the_tsa_fails_and_the_tick_stamps_later(
    database: Database, settings: Settings
) -> None:
    await synthetic_leaves(database, 2)
    unreachable = settings.model_copy(update={"tsa_url": "http://127.0.0.1:9/tsa"})

    [batch] = await close_and_anchor(database, unreachable)

    # (other tests may have left batches of their own: look at this one only)
    mine = BatchTimestamp.batch_id == batch.id
    async with database.unit_of_work() as session:
        anchor = (
            await session.execute(select(Anchor).where(Anchor.batch_id == batch.id))
        ).scalar_one()
        assert anchor.status is AnchorStatus.CONFIRMED
        assert (await session.execute(select(BatchTimestamp).where(mine))).first() is None
    assert await stamp_unstamped(database=database, settings=settings) >= 1
    async with database.unit_of_work() as session:
        stamp = (await session.execute(select(BatchTimestamp).where(mine))).scalar_one()
    assert stamp.development
    assert await stamp_unstamped(database=database, settings=settings) == 0
