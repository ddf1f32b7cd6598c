"""The `probant` command as a person runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _probant(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "probant_platform.cli", *args],
        cwd=tempfile.gettempdir(),  # never the checkout: a command may create ./var
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                str(ROOT / r) for r in ("platform", "tenants", "graphql")
            ),
            **(env or {}),
        },
    )


def test_version_prints_the_version() -> None:
    result = _probant("version")
    assert result.returncode == 0
    assert result.stdout.strip() == "0.1.0"


def test_every_command_has_help() -> None:
    for command in ("serve", "migrate", "worker", "demo", "version"):
        result = _probant(command, "--help")
        assert result.returncode == 0, command
        assert "Usage" in result.stdout


def test_serve_with_an_unreachable_database_fails_with_one_clear_line(tmp_path: Path) -> None:
    result = _probant(
        "serve",
        env={
            "DATABASE_URL": "postgresql://probant@127.0.0.1:1/probant",
            "PROBANT_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: cannot reach PostgreSQL at 127.0.0.1:1/probant: OperationalError"]
    assert "Traceback" not in result.stderr
