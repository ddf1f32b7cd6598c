"""Jobs that deliver email, so a request never waits on an SMTP server."""

from __future__ import annotations

import base64
from typing import Any

from probant_platform import runtime
from probant_platform.jobs import task
from probant_platform.notifications.templates import render_email
from probant_platform.notifications.unsubscribe import link_of


@task(name="notifications.send_email", queue="email")
async def send_email(
    *,
    to: str,
    template: str,
    locale: str | None = None,
    context: dict[str, Any] | None = None,
    attachments: list[dict[str, str]] | None = None,
    unsubscribe: dict[str, str] | None = None,
) -> None:
    """Render and deliver one email; attachments are `{filename, content_type, data_base64}`;
    `unsubscribe` (`{user_id, kind}`) adds the one-click unsubscribe link of a notification."""
    rt = runtime.current()
    message = render_email(
        template,
        to=to,
        sender=rt.settings.mail_from,
        locale=locale,
        context=context or {},
        unsubscribe_url=link_of(rt.settings, unsubscribe),
    )
    for item in attachments or []:
        maintype, _, subtype = item["content_type"].partition("/")
        message.add_attachment(
            base64.b64decode(item["data_base64"]),
            maintype=maintype,
            subtype=subtype,
            filename=item["filename"],
        )
    await rt.mailer.send(message)
