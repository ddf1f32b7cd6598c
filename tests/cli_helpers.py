"""Running the `probant` command in a child process, as an operator would, on the test database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from probant_platform.config import Settings

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "probant_platform.cli"]


def probant_env(settings: Settings, owner_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `probant` process on this session's database and data folder."""
    return {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": str(settings.data_dir),
        "PROBANT_SECRET_KEY": settings.secret().decode(),
        "PYTHONPATH": os.pathsep.join(str(ROOT / r) for r in ("platform", "tenants", "graphql")),
        **extra,
    }


async def run_probant(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`probant ARGS…` run to completion in a temporary working directory (never the checkout)."""
    return await asyncio.to_thread(
        subprocess.run,
        [*COMMAND, *args],
        env=env,
        cwd=env["PROBANT_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
