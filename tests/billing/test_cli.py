"""`probant close-billing-periods` runs the period-end job by hand."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from probant_platform.config import Settings

ROOT = Path(__file__).resolve().parents[2]


async def test_the_period_end_job_runs_from_the_command_line(
    settings: Settings, owner_url: str, committed_database: object, data_dir: Path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": str(data_dir),
        "PROBANT_SECRET_KEY": settings.secret().decode(),
        "PYTHONPATH": os.pathsep.join(str(ROOT / r) for r in ("platform", "tenants", "graphql")),
    }
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "probant_platform.cli", "close-billing-periods"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("periods closed: ")
