"""Email templates: one Jinja2 file per message and language, with subject, text and HTML blocks."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from probant_platform.notifications import unsubscribe

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


FOOTER = {
    "fr": "Vous recevez cet email car ces notifications sont activées. Ne plus les recevoir :",
    "en": "You receive this email because these notifications are on. Stop receiving them:",
}
FOOTER_LINK = {"fr": "Se désabonner", "en": "Unsubscribe"}


def render_email(
    template: str,
    *,
    to: str,
    sender: str,
    locale: str | None,
    context: dict[str, Any],
    unsubscribe_url: str | None = None,
) -> EmailMessage:
    """Render `template` in `locale` (French by default) into a multipart message; with
    `unsubscribe_url`, a footer link and the RFC 8058 one-click headers."""
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
    if unsubscribe_url:
        language = _locale(locale)
        text_body += f"\n--\n{FOOTER[language]} {unsubscribe_url}\n"
        if html_body:
            html_body += (
                f'<hr><p style="font-size:12px;color:#666">{escape(FOOTER[language])} '
                f'<a href="{escape(unsubscribe_url)}">{FOOTER_LINK[language]}</a></p>'
            )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="probant.localhost")
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    if unsubscribe_url:
        # A URL header must never be folded into encoded words (RFC 2047), which mail
        # clients would not read as a URL: long lines are allowed up to RFC 5322's 998.
        message.policy = message.policy.clone(max_line_length=998)
        for name, value in unsubscribe.headers(unsubscribe_url).items():
            message[name] = value
    return message
