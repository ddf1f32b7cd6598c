"""How tests/integrity/fixtures/bundle-v1 was made (kept for the record, not run by `make test`).

A frozen fixture must never be regenerated to make a test pass: a verifier that stops accepting
it has broken format version 1. This only documents its origin; it writes into the folder named
by PROBANT_FREEZE_TO (never the checkout by default):

    PROBANT_FREEZE_TO=/tmp/bundle-v1 .venv/bin/python -m pytest tests/integrity/freeze_bundle_v1.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
from tests.integrity.proof_world import build_world, bundle_of

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.integrity.bundle import bundle_bytes


@pytest.mark.skipif("PROBANT_FREEZE_TO" not in os.environ, reason="writes a new fixture")
async def test_freeze(
    database: Database, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    target = Path(os.environ["PROBANT_FREEZE_TO"])
    os.makedirs(target, exist_ok=True)
    world = await build_world(database, client, settings, tmp_path)
    bundle = await bundle_of(database, settings, world)
    (target / "proof-bundle.json").write_bytes(bundle_bytes(bundle))
    for path in world.files:
        shutil.copy(path, target / path.name)
    shutil.copy(settings.data_dir / "dev-chain" / "journal.jsonl", target / "chain-journal.jsonl")
    print(json.dumps({"reference": bundle["deposit"]["reference"]}))
