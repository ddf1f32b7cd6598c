"""The `probant` commands an operator runs against a real database: migrate, worker, integrity,
serve's option checks — each in its own process, each with the exit code and the line it prints."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import signal
from typing import Any

from sqlalchemy import text
from tests.cli_helpers import COMMAND, probant_env, run_probant
from tests.integrity.helpers import synthetic_leaves
from tests.sent_emails import defer_welcome

from probant_platform.config import Settings
from probant_platform.db import Database

UNREACHABLE = "postgresql://probant@127.0.0.1:1/probant"


async def test_migrate_is_idempotent(settings: Settings, owner_url: str) -> None:
    env = probant_env(settings, owner_url)

    first, again = await run_probant(env, "migrate"), await run_probant(env, "migrate")

    assert (first.returncode, first.stdout.strip()) == (0, "migrations applied"), first.stderr
    assert (again.returncode, again.stdout.strip()) == (0, "migrations applied"), again.stderr


async def test_commands_needing_the_database_fail_with_one_line_when_it_is_down(
    settings: Settings, owner_url: str
) -> None:
    env = probant_env(settings, owner_url, DATABASE_URL=UNREACHABLE)
    expected = "error: cannot reach PostgreSQL at 127.0.0.1:1/probant: OperationalError"

    for command in ("migrate", "worker", "create-operator", "close-billing-periods"):
        args = [command, "ops@example.test"] if command == "create-operator" else [command]
        result = await run_probant(env, *args)
        assert result.returncode == 1, command
        assert result.stderr.strip().splitlines() == [expected], command


async def test_serve_refuses_workers_with_an_in_process_worker(
    settings: Settings, owner_url: str
) -> None:
    env = probant_env(settings, owner_url)

    result = await run_probant(env, "serve", "--workers", "2", "--with-worker")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: --workers cannot be combined with --with-worker or --demo-intranet-port"
    )


async def test_batches_are_closed_and_anchored_from_the_command_line(
    settings: Settings, owner_url: str, committed_database: Database
) -> None:
    env = probant_env(settings, owner_url, PROBANT_LOG_LEVEL="WARNING")
    await synthetic_leaves(committed_database, 3)

    closed = await run_probant(env, "integrity", "close-batches", "--force")
    again = await run_probant(env, "integrity", "close-batches")

    assert closed.returncode == 0, closed.stderr
    found = re.fullmatch(r"batch (\d+): (\d+) leaves, root ([0-9a-f]{64})", closed.stdout.strip())
    assert found is not None, closed.stdout
    assert int(found[2]) >= 3
    assert again.stdout.strip() == "no batch was due"
    sequence = found[1]
    anchored = await run_probant(env, "integrity", "anchor", "--sequence", sequence)
    assert anchored.returncode == 0, anchored.stderr
    last = anchored.stdout.strip().splitlines()[-1]  # structlog's own lines come first
    assert re.fullmatch(r"anchored in 0x[0-9a-f]{64} \(block \d+\)", last)
    unknown = await run_probant(env, "integrity", "anchor", "--sequence", "999999")
    assert unknown.returncode == 2
    assert "no batch 999999" in unknown.stderr


async def test_the_worker_command_delivers_a_queued_email_and_stops_on_sigterm(
    settings: Settings, owner_url: str, committed_database: Database, smtp_server: Any
) -> None:
    url, mailbox = smtp_server
    marker = secrets.token_hex(6)
    await defer_welcome(committed_database, marker, commit=True)
    env = probant_env(settings, owner_url, PROBANT_SMTP_URL=url, PROBANT_LOG_LEVEL="INFO")
    worker = await asyncio.create_subprocess_exec(
        *COMMAND,
        "worker",
        "--concurrency",
        "1",
        env=env,
        cwd=env["PROBANT_DATA_DIR"],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for _ in range(600):
            if any(marker in _text(m) for m in mailbox.messages):
                break
            await asyncio.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(worker.communicate(), 60)
    logs = err.decode()

    [delivered] = [m for m in mailbox.messages if marker in _text(m)]
    assert delivered["To"] == "someone@example.test"
    assert worker.returncode == 0, logs[-2000:]
    records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert records and all({"event", "level", "timestamp"} <= set(r) for r in records)
    async with committed_database.unit_of_work() as session:
        status = await session.execute(
            text(
                "SELECT status FROM procrastinate_jobs WHERE task_name = "
                "'notifications.send_email' AND args->'context'->>'name' = :m"
            ),
            {"m": marker},
        )
        assert status.scalar_one() == "succeeded"


def _text(message: Any) -> str:
    # The worker delivers every queued email, other tests' too (multipart/alternative with
    # an HTML part, or mixed with attachments): read the first text part of any of them.
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode() if payload else ""
    return ""
