"""The built capture widget stays under its 40 kB gzipped budget, and its unit tests pass."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

WIDGET = Path(__file__).resolve().parents[2] / "capture-widget"
MANIFEST = WIDGET / "dist" / "manifest.json"
BUDGET_BYTES = 40 * 1024


def _built(stable_name: str) -> bytes:
    if not MANIFEST.exists():
        pytest.fail("capture-widget/dist is missing: run `make install` to build the widget")
    hashed = json.loads(MANIFEST.read_text())[stable_name]
    return (MANIFEST.parent / hashed).read_bytes()


def test_the_es_module_is_under_40_kb_gzipped() -> None:
    size = len(gzip.compress(_built("probant-capture.js"), compresslevel=9))
    assert size < BUDGET_BYTES, f"the ES module is {size} bytes gzipped"


def test_the_classic_script_is_under_40_kb_gzipped() -> None:
    size = len(gzip.compress(_built("probant-capture.iife.js"), compresslevel=9))
    assert size < BUDGET_BYTES, f"the classic script is {size} bytes gzipped"


def test_the_built_files_carry_their_content_hash_in_their_name() -> None:
    for stable_name in ("probant-capture.js", "probant-capture.iife.js"):
        digest = hashlib.sha256(_built(stable_name)).hexdigest()[:12]
        hashed = json.loads(MANIFEST.read_text())[stable_name]
        assert hashed.startswith(f"probant-capture.{digest}.")


@pytest.mark.slow
def test_the_widget_unit_tests_pass() -> None:
    # `make test` runs pytest only: run vitest from here so the widget's logic is tested too.
    npx = shutil.which("npx")
    if npx is None or not (WIDGET / "node_modules").exists():
        pytest.fail("capture-widget/node_modules is missing: run `make install`")
    result = subprocess.run(
        [npx, "vitest", "run", "--reporter=dot"],
        cwd=WIDGET,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
