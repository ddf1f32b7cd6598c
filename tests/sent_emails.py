"""Emails as people receive them: queued email jobs run the way the worker runs them, and
delivered to a real SMTP server (aiosmtpd) — so tests read the message, not the job."""

from __future__ import annotations

from email.message import Message
from typing import Any

from sqlalchemy import text

from probant_platform import runtime
from probant_platform.db import Database
from probant_platform.jobs import enqueue, job_app
from probant_platform.runtime import build_runtime

_delivered: set[int] = set()


async def sent_emails(database: Database, smtp_server: Any, *, to: str) -> list[Message]:
    """Deliver every email job queued for `to` and return all that `to` has received."""
    smtp_url, mailbox = smtp_server
    async with database.unit_of_work() as session:
        jobs = (
            await session.execute(
                text(
                    "SELECT id, task_name, args FROM procrastinate_jobs "
                    "WHERE queue_name = 'email' AND status = 'todo' AND args->>'to' = :to "
                    "ORDER BY id"
                ),
                {"to": to},
            )
        ).all()
    current = runtime.current()
    build_runtime(current.settings.model_copy(update={"smtp_url": smtp_url}), database)
    try:
        for job in jobs:
            if job.id not in _delivered:
                _delivered.add(job.id)
                # SMTP delivery is synchronous: the server holds the message once this returns.
                await job_app.tasks[job.task_name].func(**job.args)
    finally:
        build_runtime(current.settings, current.database)
    return [message for message in mailbox.messages if message["To"] == to]


def body_text(message: Message) -> str:
    """The plain-text part of a message."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


async def defer_welcome(database: Database, marker: str, *, commit: bool = True) -> None:
    """Queue a welcome email whose job carries `marker` (context name), committed or not."""
    session = database.session()
    async with session:
        await session.begin()
        await enqueue(
            session,
            "notifications.send_email",
            to="someone@example.test",
            template="welcome",
            locale="fr",
            context={"name": marker},
        )
        await (session.commit() if commit else session.rollback())
