"""Jobs are deferred inside the caller's transaction; email goes out over SMTP or to the outbox."""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import procrastinate
from sqlalchemy import text
from tests.sent_emails import defer_welcome

from probant_platform.db import Database
from probant_platform.jobs import job_app
from probant_platform.jobs.runtime import psycopg_conninfo
from probant_platform.notifications.mailer import OutboxMailer, SmtpMailer
from probant_platform.notifications.templates import render_email
from probant_platform.runtime import build_runtime


async def _jobs_for(db: Database, marker: str) -> int:
    async with db.unit_of_work() as session:
        return (
            await session.execute(
                text("SELECT count(*) FROM procrastinate_jobs WHERE args->'context'->>'name' = :m"),
                {"m": marker},
            )
        ).scalar_one()


async def test_a_job_exists_only_if_its_transaction_commits(committed_database: Database) -> None:
    rolled_back, committed = secrets.token_hex(6), secrets.token_hex(6)
    await defer_welcome(committed_database, rolled_back, commit=False)
    await defer_welcome(committed_database, committed, commit=True)
    assert await _jobs_for(committed_database, rolled_back) == 0
    assert await _jobs_for(committed_database, committed) == 1


async def test_the_worker_delivers_email_over_smtp(
    committed_database: Database, settings: Any, app_url: str, smtp_server: Any
) -> None:
    url, mailbox = smtp_server
    build_runtime(settings.model_copy(update={"smtp_url": url}), committed_database)
    marker = secrets.token_hex(6)
    await defer_welcome(committed_database, marker, commit=True)

    connector = procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(app_url))
    with job_app.replace_connector(connector):
        async with job_app.open_async():
            await job_app.run_worker_async(
                queues=["email"], wait=False, install_signal_handlers=False
            )

    messages = await mailbox.wait_for(1)
    delivered = [
        m for m in messages if marker in m.get_payload(0).get_payload(decode=True).decode()
    ]
    assert len(delivered) == 1
    assert delivered[0]["Subject"] == "Bienvenue sur Probant"
    assert delivered[0]["To"] == "someone@example.test"


def test_templates_render_in_french_by_default_and_in_english_on_request() -> None:
    fr = render_email(
        "welcome", to="a@b.test", sender="x@y.test", locale=None, context={"name": "Léa"}
    )
    en = render_email(
        "welcome", to="a@b.test", sender="x@y.test", locale="en", context={"name": "Léa"}
    )
    assert fr["Subject"] == "Bienvenue sur Probant"
    assert en["Subject"] == "Welcome to Probant"
    assert "Bonjour Léa" in fr.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_html_templates_escape_user_input() -> None:
    message = render_email(
        "welcome", to="a@b.test", sender="x@y.test", locale="fr", context={"name": "<script>"}
    )
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html


async def test_outbox_mailer_writes_an_eml_file(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "Hello"
    message.set_content("body")
    await OutboxMailer(tmp_path / "outbox").send(message)
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1 and b"Subject: Hello" in files[0].read_bytes()


async def test_smtp_mailer_delivers_to_a_real_server(smtp_server: Any) -> None:
    url, mailbox = smtp_server
    message = EmailMessage()
    message["Subject"] = "Direct"
    message["From"] = "a@b.test"
    message["To"] = "c@d.test"
    message.set_content("hello")
    await SmtpMailer(url).send(message)
    assert (await mailbox.wait_for(1))[0]["Subject"] == "Direct"
