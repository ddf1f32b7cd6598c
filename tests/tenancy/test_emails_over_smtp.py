# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Account emails really go out: the worker delivers them to an SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import procrastinate
from tests.factories import gql, log_in, make_organisation, unique_email

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.jobs import job_app
from probant_platform.jobs.runtime import psycopg_conninfo
from probant_platform.runtime import build_runtime


async def test_an_invitation_code_arrives_by_email_and_activates_the_account(
    settings: Settings, committed_database: Database, app_url: str, smtp_server: Any
) -> None:
    from probant_platform.web.app import create_app

    smtp_url, mailbox = smtp_server
    owner = await make_organisation(committed_database)
    app = create_app(settings, database=committed_database, configure_logs=False)
    email = unique_email("newcomer")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await log_in(client, owner)
        await gql(
            client,
            "mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) { __typename } }",
            {"e": email},
        )

        build_runtime(settings.model_copy(update={"smtp_url": smtp_url}), committed_database)
        connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
        with job_app.replace_connector(connector):
            async with job_app.open_async():
                await job_app.run_worker_async(
                    queues=["email"], wait=False, install_signal_handlers=False
                )

        messages = [m for m in await mailbox.wait_for(1) if m["To"] == email]
        assert len(messages) == 1 and "vous invite sur Probant" in messages[0]["Subject"]
        body = messages[0].get_payload(0).get_payload(decode=True).decode()
        code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", body)
        assert code is not None
        fresh = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        async with fresh:
            done = await gql(
                fresh,
                'mutation($c: String!) { activateAccount(code: $c, password: "Welcome-Aboard-42", acceptTerms: true) { __typename } }',
                {"c": code.group(0)},
            )
    assert done["activateAccount"]["__typename"] == "LogInPayload"
