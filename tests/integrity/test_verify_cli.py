"""`probant verify` as a person runs it on the frozen v1 bundle: verdicts, exit codes, errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probant_platform.cli import app
from probant_platform.config import get_settings

FIXTURE = Path(__file__).parent / "fixtures" / "bundle-v1"
PHOTOS = [str(p) for p in sorted(FIXTURE.glob("photo-*.jpg"))]
BUNDLE = str(FIXTURE / "proof-bundle.json")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder whose development chain is the one the frozen bundle was anchored on."""
    (tmp_path / "dev-chain").mkdir()
    shutil.copy(FIXTURE / "chain-journal.jsonl", tmp_path / "dev-chain" / "journal.jsonl")
    monkeypatch.setenv("PROBANT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_frozen_bundle_verifies_against_its_development_chain(data_dir: Path) -> None:
    code, out, _ = _run(*PHOTOS, "--bundle", BUNDLE)

    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "(anchors read from this machine's development chain — not a public ledger)"
    assert sum(line.startswith("✔ PASS") for line in lines) == 8
    assert lines[-1] == "VERDICT: every check passed."


def test_offline_the_anchor_is_skipped_and_said_so(data_dir: Path) -> None:
    code, out, _ = _run(*PHOTOS, "--bundle", BUNDLE, "--offline")

    assert code == 0
    assert "– SKIP  batch 3: anchor" in out and "not checked (offline)" in out


def test_a_tampered_bundle_fails_with_exit_code_1(data_dir: Path, tmp_path: Path) -> None:
    bundle = json.loads(Path(BUNDLE).read_text("utf-8"))
    bundle["items"][0]["size"] += 1
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(bundle), "utf-8")

    code, out, _ = _run(*PHOTOS, "--bundle", str(edited))

    assert code == 1
    assert "✘ FAIL  item 1: the bundle shows size" in out
    assert out.splitlines()[-1] == (
        "VERDICT: 1 check(s) failed — do not rely on this evidence as it stands."
    )


def test_bad_invocations_exit_2_with_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    not_json = tmp_path / "bundle.json"
    not_json.write_text("{", "utf-8")
    evm = json.loads(Path(BUNDLE).read_text("utf-8"))
    for batch in evm["batches"]:
        batch["anchor"]["network"] = "evm"
    public = tmp_path / "public.json"
    public.write_text(json.dumps(evm), "utf-8")

    unreadable = _run(*PHOTOS, "--bundle", str(not_json))
    missing = _run(str(tmp_path / "nope.jpg"), "--bundle", BUNDLE)
    no_chain = _run(*PHOTOS, "--bundle", str(public))
    both = _run(*PHOTOS, "--bundle", BUNDLE, "--offline", "--rpc", "http://127.0.0.1:1")

    assert unreadable[0] == 2 and unreadable[2].startswith("error: cannot read the bundle")
    assert missing[0] == 2 and missing[2].strip() == f"error: no such file: {tmp_path}/nope.jpg"
    assert no_chain[0] == 2 and no_chain[2].strip() == (
        "error: give --rpc URL (the chain's JSON-RPC endpoint) or --offline"
    )
    assert both[0] == 2 and "give --rpc or --offline, not both" in both[2]
