"""`probant close-billing-periods` runs the period-end job by hand."""

from __future__ import annotations

from tests.cli_helpers import probant_env, run_probant

from probant_platform.config import Settings


async def test_the_period_end_job_runs_from_the_command_line(
    settings: Settings, owner_url: str, committed_database: object
) -> None:
    result = await run_probant(probant_env(settings, owner_url), "close-billing-periods")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("periods closed: ")
    assert int(result.stdout.split(": ", 1)[1]) >= 0
