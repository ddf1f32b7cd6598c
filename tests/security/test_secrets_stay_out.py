"""Secrets never rest where operators, log pipelines and backups can read them.

Before the fix, upload tokens were printed by the access log (query strings), and the
reset/verification links and invitation codes sat in clear in `procrastinate_jobs.args`
until the job table was purged. Now the access log names paths only, and each email job
carries ids: it mints the secret when it sends the message.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import text
from tests.factories import PASSWORD, gql, log_in, make_organisation, unique_email
from tests.sent_emails import body_text, sent_emails

from probant_platform.cli import SERVER_OPTIONS
from probant_platform.db import Database
from probant_platform.logging import configure_logging

SIGN_UP = """mutation($e: String!, $p: String!) { signUp(input: {kind: INDIVIDUAL, email: $e,
  password: $p, fullName: "Iris Martin", acceptTerms: true}) { __typename } }"""
RESET = "mutation($e: String!) { requestPasswordReset(email: $e) { ok } }"
INVITE = """mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) { __typename } }"""
SECRET_IN_EMAIL = re.compile(r"token=([\w-]{20,})|([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


async def _job_args_mentioning(database: Database, secret: str) -> list[Any]:
    async with database.unit_of_work() as session:
        rows = await session.execute(
            text("SELECT args FROM procrastinate_jobs WHERE strpos(args::text, :s) > 0"),
            {"s": secret},
        )
        return list(rows.scalars())


@pytest.mark.parametrize("flow", ["verification", "reset", "invitation"])
async def test_emailed_secrets_are_never_in_job_arguments(
    client: httpx.AsyncClient, database: Database, smtp_server: Any, flow: str
) -> None:
    # Given an email that carries a secret, queued by a person's action
    email = unique_email(flow)
    if flow == "verification":
        await gql(client, SIGN_UP, {"e": email, "p": PASSWORD})
    elif flow == "reset":
        member = await make_organisation(database, email=email)
        await gql(client, RESET, {"e": member.email})
    else:
        await log_in(client, await make_organisation(database))
        await gql(client, INVITE, {"e": email})
    # When the job sends it
    (message,) = await sent_emails(database, smtp_server, to=email)
    # Then the person has the secret, and the job queue never had it
    found = SECRET_IN_EMAIL.search(body_text(message))
    assert found is not None
    secret = found.group(1) or found.group(2)
    assert await _job_args_mentioning(database, secret) == []
    assert await _job_args_mentioning(database, secret.lower()) == []


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """The process's logging as `probant serve` sets it up (on the captured stderr)."""
    root, access, httpx_log = (logging.getLogger(n) for n in ("", "uvicorn.access", "httpx"))
    saved = (root.handlers[:], root.level, access.filters[:], httpx_log.level)
    configure_logging("INFO")
    yield
    root.handlers[:], level, access.filters[:], httpx_level = saved
    root.setLevel(level)
    httpx_log.setLevel(httpx_level)


@pytest.mark.parametrize(
    "options",
    [SERVER_OPTIONS, {"log_config": None}],
    ids=["probant serve", "uvicorn defaults"],
)
async def test_upload_tokens_never_reach_the_logs(
    app: Any, json_logs: None, capsys: pytest.CaptureFixture[str], options: dict[str, Any]
) -> None:
    # Given the API served by uvicorn, with the process's logging
    # (a socket listening before the server starts: the request waits in its backlog)
    listening = socket.create_server(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, **options))
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    # When a client uploads with a token in the query string
    token = "upload-token-" + uuid.uuid4().hex
    try:
        async with httpx.AsyncClient() as client:
            await client.put(
                f"http://127.0.0.1:{port}/uploads/{uuid.uuid4()}?token={token}", content=b"jpeg"
            )
    finally:
        server.should_exit = True
        await serving
    # Then the request is logged, without its token
    logged = capsys.readouterr().err
    assert "/uploads/" in logged
    assert token not in logged
