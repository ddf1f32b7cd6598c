"""Every kind of tampering is caught, each with its own reason; an untouched bundle passes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.integrity.proof_world import ProofWorld, build_world, bundle_of

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.integrity.verify import GivenFile, Report, file_sha256, verify_bundle


@pytest.fixture
async def world(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> ProofWorld:
    return await build_world(database, client, settings, tmp_path)


def _verify(world: ProofWorld, bundle: dict[str, Any], files: list[Path] | None = None) -> Report:
    given = [GivenFile(p.name, file_sha256(p)) for p in files or world.files]
    return verify_bundle(bundle, files=given, chain=world.reader)


async def test_an_untouched_bundle_passes_every_check(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    bundle = await bundle_of(database, settings, world)

    report = _verify(world, bundle)

    assert report.ok, [c.message for c in report.checks if c.status != "pass"]
    assert bundle["status"] == "complete"
    reasons = [c.reason for c in report.checks]
    assert reasons.count("file-matches") == 3 and reasons.count("proof-valid") == 3
    assert "chain-linked" in reasons and "anchor-valid" in reasons
    [anchor] = [c.message for c in report.checks if c.reason == "anchor-valid"]
    assert "development chain — not a public ledger" in anchor
    assert [b["sequence"] for b in bundle["batches"]] == [b.sequence for b in world.batches]


def _flip_a_byte(world: ProofWorld) -> list[Path]:
    path = world.files[1]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = path.with_name("tampered.jpg")
    tampered.write_bytes(bytes(data))
    return [world.files[0], tampered, world.files[2]]


def _swap_sibling(bundle: dict[str, Any]) -> None:
    first, second = bundle["items"][0], bundle["items"][1]
    first["proof"][0]["hash"] = second["proof"][-1]["hash"]


def _change_root(bundle: dict[str, Any]) -> None:
    own = bundle["items"][0]["leaf"]["batch"]
    [batch] = [b for b in bundle["batches"] if b["sequence"] == own]
    batch["root"] = "ab" * 32


def _remove_a_batch(bundle: dict[str, Any]) -> None:
    own = bundle["items"][0]["leaf"]["batch"]
    bundle["batches"] = [b for b in bundle["batches"] if b["sequence"] != own - 1]


def _edit_a_timestamp(bundle: dict[str, Any]) -> None:
    bundle["items"][0]["received_at"] = "2020-01-01T00:00:00.000000Z"


def _edit_the_sealed_record(bundle: dict[str, Any]) -> None:
    item = bundle["items"][0]
    item["sealed_record"] = item["sealed_record"].replace(item["received_at"], "2020-01-01")
    item["received_at"] = "2020-01-01"


def _point_at_another_transaction(bundle: dict[str, Any]) -> None:
    own = bundle["items"][0]["leaf"]["batch"]
    by_sequence = {b["sequence"]: b for b in bundle["batches"]}
    by_sequence[own]["anchor"]["transaction_hash"] = by_sequence[own - 1]["anchor"][
        "transaction_hash"
    ]


def _move_the_anchor_to_another_block(bundle: dict[str, Any]) -> None:
    own = bundle["items"][0]["leaf"]["batch"]
    [batch] = [b for b in bundle["batches"] if b["sequence"] == own]
    batch["anchor"]["block_number"] += 1


def _backdate_the_anchor(bundle: dict[str, Any]) -> None:
    own = bundle["items"][0]["leaf"]["batch"]
    [batch] = [b for b in bundle["batches"] if b["sequence"] == own]
    batch["anchor"]["block_time"] = "2020-01-01T00:00:00.000000Z"


def _seal_after_the_anchor(bundle: dict[str, Any]) -> None:
    """A sealing time later than the anchoring block (the record's own claim)."""
    item = bundle["items"][0]
    sealed_at = json.loads(item["sealed_record"])["deposit"]["sealed_at"]
    item["sealed_record"] = item["sealed_record"].replace(sealed_at, "2099-01-01T00:00:00.000000Z")


TAMPERS: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "sibling hash swapped": (_swap_sibling, "proof-invalid", "inclusion proof leads to"),
    "root changed": (_change_root, "anchor-root-mismatch", "the chain holds root"),
    "batch removed from the chain": (_remove_a_batch, "chain-gap", "missing from the chain"),
    "timestamp edited in the bundle": (_edit_a_timestamp, "record-mismatch", "received_at"),
    "timestamp edited in the record": (_edit_the_sealed_record, "record-altered", "was edited"),
    "anchor pointing at another transaction": (
        _point_at_another_transaction,
        "anchor-other-transaction",
        "points at another transaction",
    ),
    "anchor moved to another block": (
        _move_the_anchor_to_another_block,
        "anchor-block-mismatch",
        "the bundle says block",
    ),
    "sealed after its anchor": (
        _seal_after_the_anchor,
        "time-inconsistent",
        "claim a sealing time after the anchoring block",
    ),
}


async def test_a_backdated_anchor_time_is_a_block_mismatch(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    bundle = await bundle_of(database, settings, world)
    _backdate_the_anchor(bundle)

    report = _verify(world, bundle)

    assert report.failures() == {"anchor-block-mismatch"}
    [message] = [c.message for c in report.checks if c.reason == "anchor-block-mismatch"]
    assert "2020-01-01T00:00:00.000000Z" in message


async def test_each_tampering_is_detected_with_its_own_reason(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    original = await bundle_of(database, settings, world)
    seen: dict[str, str] = {}
    for name, (tamper, reason, words) in TAMPERS.items():
        bundle = copy.deepcopy(original)
        tamper(bundle)

        report = _verify(world, bundle)

        assert not report.ok, name
        assert reason in report.failures(), (name, report.failures())
        [message] = [c.message for c in report.checks if c.reason == reason][:1]
        assert words in message, (name, message)
        seen[name] = reason
    assert len(set(seen.values())) == len(TAMPERS)  # one distinct reason per kind


async def test_a_flipped_byte_in_a_media_file_is_detected(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    bundle = await bundle_of(database, settings, world)

    report = _verify(world, bundle, files=_flip_a_byte(world))

    assert report.failures() == {"file-unknown"}
    [message] = [c.message for c in report.checks if c.reason == "file-unknown"]
    assert message.startswith("tampered.jpg: its SHA-256")


async def test_offline_verification_skips_the_anchor_and_says_so(
    world: ProofWorld, database: Database, settings: Settings
) -> None:
    bundle = await bundle_of(database, settings, world)
    given = [GivenFile(p.name, file_sha256(p)) for p in world.files]

    report = verify_bundle(bundle, files=given, chain=None)

    assert report.ok
    [skipped] = [c for c in report.checks if c.reason == "anchor-offline"]
    assert "not checked (offline)" in skipped.message
