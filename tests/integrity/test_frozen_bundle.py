"""A proof bundle frozen in 2026 (format version 1) must verify forever; tampered copies must not.

The bundle, its media and its chain's journal live in tests/integrity/fixtures/bundle-v1 (see its
README). The chain is the real development chain replayed from that journal.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from probant_platform.integrity.chain import ChainReader
from probant_platform.integrity.devchain import DevelopmentChain
from probant_platform.integrity.verify import GivenFile, Report, file_sha256, verify_bundle

FIXTURE = Path(__file__).parent / "fixtures" / "bundle-v1"
PHOTOS = sorted(FIXTURE.glob("photo-*.jpg"))
OWN_BATCH = 3


def _frozen() -> dict[str, Any]:
    bundle: dict[str, Any] = json.loads((FIXTURE / "proof-bundle.json").read_text("utf-8"))
    return bundle


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> ChainReader:
    folder = tmp_path_factory.mktemp("frozen-chain")
    shutil.copy(FIXTURE / "chain-journal.jsonl", folder / "journal.jsonl")
    return ChainReader(DevelopmentChain(folder).sync, development=True)


def _verify(
    bundle: dict[str, Any], chain: ChainReader | None, files: list[Path] = PHOTOS
) -> Report:
    return verify_bundle(
        bundle, files=[GivenFile(p.name, file_sha256(p)) for p in files], chain=chain
    )


def test_the_frozen_bundle_passes_every_check(chain: ChainReader) -> None:
    report = _verify(_frozen(), chain)

    assert report.ok, [c.message for c in report.checks if c.status != "pass"]
    assert [c.reason for c in report.checks] == [
        *["file-matches"] * 3,
        *["proof-valid"] * 3,
        "chain-linked",
        "anchor-valid",
    ]
    [anchor] = [c.message for c in report.checks if c.reason == "anchor-valid"]
    assert "development chain — not a public ledger" in anchor


def test_the_frozen_bundle_passes_offline_with_the_anchor_skipped() -> None:
    report = _verify(_frozen(), None)

    assert report.ok
    assert [c.reason for c in report.checks if c.status == "skip"] == ["anchor-offline"]


def _batch(bundle: dict[str, Any], sequence: int = OWN_BATCH) -> dict[str, Any]:
    [batch] = [b for b in bundle["batches"] if b["sequence"] == sequence]
    return batch


def _record(bundle: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> None:
    item = bundle["items"][0]
    record = json.loads(item["sealed_record"])
    edit(record)
    item["sealed_record"] = json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(bundle: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = bundle
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value

    return apply


def _in_own_batch(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda bundle: _batch(bundle).__setitem__(field, value)


def _in_own_anchor(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda bundle: _batch(bundle)["anchor"].__setitem__(field, value)


def _drop_batch(sequence: int) -> Callable[[dict[str, Any]], None]:
    def apply(bundle: dict[str, Any]) -> None:
        bundle["batches"] = [b for b in bundle["batches"] if b["sequence"] != sequence]

    return apply


def _other_anchor(bundle: dict[str, Any]) -> None:
    _batch(bundle)["anchor"]["transaction_hash"] = _batch(bundle, 2)["anchor"]["transaction_hash"]


def _sealed_later(record: dict[str, Any]) -> None:
    record["deposit"]["sealed_at"] = "2099-01-01T00:00:00.000000Z"


def _swap_proof_sides(bundle: dict[str, Any]) -> None:
    for step in bundle["items"][0]["proof"]:
        step["side"] = "left" if step["side"] == "right" else "right"


# name -> (tamper, the exact set of failures the verifier must report)
TAMPERED: dict[str, tuple[Callable[[dict[str, Any]], None], set[str]]] = {
    "unknown version": (_set("version", 99), {"bundle-format"}),
    "unknown format": (_set("format", "probant-proof"), {"bundle-format"}),
    "item field edited": (_set("items.0.size", 1), {"record-mismatch"}),
    "deposit field edited": (_set("deposit.title", "Autre"), {"record-mismatch"}),
    "sealed record edited": (
        lambda b: _record(b, lambda r: r["item"].__setitem__("comment", "ajouté")),
        {"record-mismatch"},
    ),
    "leaf hash edited": (_set("items.0.leaf.hash", "00" * 32), {"record-altered"}),
    "proof sides swapped": (_swap_proof_sides, {"proof-invalid"}),
    "proof step removed": (lambda b: b["items"][0]["proof"].pop(), {"proof-invalid"}),
    "item moved to another batch": (_set("items.0.leaf.batch", 9), {"batch-missing"}),
    "own batch root changed": (
        _in_own_batch("root", "ab" * 32),
        {"proof-invalid", "chain-broken", "anchor-root-mismatch"},
    ),
    "previous root changed": (
        _in_own_batch("previous_root", "cd" * 32),
        {"chain-broken", "anchor-root-mismatch"},
    ),
    "neighbour batch removed": (_drop_batch(2), {"chain-gap"}),
    "anchor removed": (_in_own_batch("anchor", None), {"anchor-missing"}),
    "anchor on another chain": (_in_own_anchor("chain_id", 1), {"anchor-wrong-chain"}),
    "anchor transaction unknown": (
        _in_own_anchor("transaction_hash", "0x" + "ee" * 32),
        {"anchor-not-found"},
    ),
    "anchor of another batch": (_other_anchor, {"anchor-other-transaction"}),
    "anchor block moved": (_in_own_anchor("block_number", 4), {"anchor-block-mismatch"}),
    "anchor time backdated": (
        _in_own_anchor("block_time", "2026-01-01T00:00:00.000000Z"),
        {"anchor-block-mismatch"},
    ),
    "sealed after its anchor": (
        lambda b: _record(b, _sealed_later),
        {"record-mismatch", "time-inconsistent"},
    ),
}


@pytest.mark.parametrize("name", TAMPERED)
def test_each_tampered_copy_of_the_frozen_bundle_is_refused_for_its_reason(
    chain: ChainReader, name: str
) -> None:
    tamper, reasons = TAMPERED[name]
    bundle = copy.deepcopy(_frozen())
    tamper(bundle)

    report = _verify(bundle, chain)

    assert not report.ok
    assert report.failures() == reasons


def test_a_photo_with_one_flipped_bit_is_refused(chain: ChainReader, tmp_path: Path) -> None:
    data = bytearray(PHOTOS[1].read_bytes())
    data[len(data) // 2] ^= 0x01
    altered = tmp_path / "photo-2.jpg"
    altered.write_bytes(bytes(data))

    report = _verify(_frozen(), chain, files=[PHOTOS[0], altered, PHOTOS[2]])

    assert report.failures() == {"file-unknown"}


# The first failure each tampering produces, word for word: what a person reading
# `probant verify` sees is part of the contract.
FIRST_MESSAGE = {
    "unknown version": "this is not a probant-proof-bundle file of version 1 or 2",
    "item field edited": "item 1: the bundle shows size = 1 but the sealed record says 57102"
    " — the bundle was edited",
    "deposit field edited": "deposit title: the bundle shows 'Autre' but item 1's sealed record"
    " says 'Dégât des eaux, cuisine' — the bundle was edited",
    "sealed record edited": "item 1: the bundle shows comment = '' but the sealed record says"
    " 'ajouté' — the bundle was edited",
    "leaf hash edited": "item 1: its sealed record does not hash to its leaf — the record was"
    " edited",
    "proof sides swapped": "item 1: its inclusion proof leads to ee1221b55357…, not to the root"
    " of batch 3 (50543c419c7b…)",
    "item moved to another batch": "item 1: batch 9 is not in the bundle",
    "previous root changed": "batch 3 records the previous root cdcdcdcdcdcd… but batch 2 has"
    " root ec2535453396…",
    "neighbour batch removed": "batch 3 follows batch 1: batch 2 missing from the chain",
    "anchor removed": "batch 3: not anchored yet",
    "anchor on another chain": "batch 3: anchored on chain 1 but the RPC serves chain"
    " 131277322940537",
    "anchor transaction unknown": "batch 3: transaction 0xeeeeeeeeee… is not on the chain"
    " (development chain — not a public ledger)",
    "anchor of another batch": "batch 3: transaction 0x957ded7554… anchors batch 2, not this"
    " batch — the anchor points at another transaction",
    "anchor block moved": "batch 3: the chain puts it in block 3 at 2026-12-01T21:43:37.000000Z,"
    " the bundle says block 4 at 2026-12-01T21:43:37.000000Z",
}


@pytest.mark.parametrize("name", FIRST_MESSAGE)
def test_each_refusal_says_what_was_changed(chain: ChainReader, name: str) -> None:
    tamper, _ = TAMPERED[name]
    bundle = copy.deepcopy(_frozen())
    tamper(bundle)

    report = _verify(bundle, chain)

    assert next(c.message for c in report.checks if c.status == "fail") == FIRST_MESSAGE[name]


@pytest.mark.parametrize(
    ("record", "reason"),
    [("{not json", "record-unreadable"), ('{"kind": "probant.sealed-item"}', "record-mismatch")],
    ids=["not-json", "no-item-no-deposit"],
)
def test_a_malformed_sealed_record_is_a_failure_not_a_crash(
    chain: ChainReader, record: str, reason: str
) -> None:
    bundle = copy.deepcopy(_frozen())
    bundle["items"][0]["sealed_record"] = record

    report = _verify(bundle, chain)

    assert reason in report.failures()
    if reason == "record-unreadable":
        [message] = [c.message for c in report.checks if c.reason == reason]
        assert message == "item 1: sealed record is not JSON"
