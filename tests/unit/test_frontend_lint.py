"""The TypeScript front ends pass their linter (ESLint with typescript-eslint): `make lint`
runs it too, and this test makes a violation fail the suite."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("frontend", ["admin-ui", "capture-widget"])
def test_frontend_is_lint_clean(frontend: str) -> None:
    folder = ROOT / frontend
    if shutil.which("npm") is None or not (folder / "node_modules" / ".bin" / "eslint").exists():
        pytest.fail(f"{frontend}: npm ci has not run (make install does it)")
    result = subprocess.run(
        ["npm", "run", "--silent", "lint"], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
