"""Email templates: one Jinja2 file per message and language, with subject, text and HTML blocks."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

SUPPORTED_LOCALES = ("fr", "en")


@lru_cache
def _environment(*, html: bool = True) -> Environment:
    """HTML bodies are escaped; the subject and the plain-text body must not be (a name with
    an apostrophe would read `l&#39;étude`)."""
    escape = select_autoescape(["html"], default_for_string=False, default=True) if html else False
    # Plain text is never rendered as HTML: escaping it would only corrupt it.
    return Environment(
        loader=PackageLoader("probant_platform.notifications", "templates"),
        autoescape=escape,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _locale(locale: str | None) -> str:
    return locale if locale in SUPPORTED_LOCALES else "fr"


def render_email(
    template: str, *, to: str, sender: str, locale: str | None, context: dict[str, Any]
) -> EmailMessage:
    """Render `template` in `locale` (French by default) into a multipart message."""
    name = f"{template}.{_locale(locale)}.j2"
    plain = _environment(html=False).get_template(name)
    values = plain.new_context(dict(context))
    subject = "".join(plain.blocks["subject"](values)).strip()
    text_body = "".join(plain.blocks["text"](values)).strip() + "\n"
    tpl = _environment(html=True).get_template(name)
    html_body = (
        "".join(tpl.blocks["html"](tpl.new_context(dict(context)))).strip()
        if "html" in tpl.blocks
        else None
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="probant.localhost")
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    return message
