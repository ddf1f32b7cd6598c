"""`/notifications/unsubscribe?token=…`: the one-click unsubscribe of notification emails.

POST (what mail clients send, RFC 8058, and what the page's button sends) turns the kind's
emails off for the person the signed token names, without logging in. GET only shows the
page with that button: link scanners that open every URL must not unsubscribe anyone.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from probant_platform import locales
from probant_platform.db import TenantScope
from probant_platform.notifications import kinds, preferences, unsubscribe
from probant_platform.notifications.models import Channel
from probant_platform.web.verify import TEMPLATES
from probant_tenants.models import User

HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
}


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )


def _page(state: str, lang: str, kind: str, action: str, status: int = 200) -> Response:
    html = (
        _environment()
        .get_template("unsubscribe.html.j2")
        .render(state=state, lang=lang, kind=kinds.label(kind, lang), action=action)
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


async def page(request: Request) -> Response:
    runtime = request.app.state.runtime
    raw = request.query_params.get("token")
    found = unsubscribe.read(runtime.settings, raw)
    header = request.headers.get("accept-language")
    if found is None or found.kind not in kinds.KINDS:
        return _page("invalid", locales.choose(account=None, accept_language=header), "", "", 400)
    scope = TenantScope(user_id=found.user_id)
    async with runtime.database.unit_of_work(scope) as session:
        user = await session.get(User, found.user_id)
        if user is None or user.deleted_at is not None:
            lang = locales.choose(account=None, accept_language=header)
            return _page("invalid", lang, "", "", 400)
        lang = locales.choose(account=user.locale, accept_language=header)
        if request.method == "POST":
            await preferences.choose(
                session, user_id=user.id, kind=found.kind, channel=Channel.EMAIL, enabled=False
            )
            return _page("done", lang, found.kind, "")
    action = f"{unsubscribe.PATH}?token={raw}"
    return _page("ask", lang, found.kind, action)


def unsubscribe_routes() -> list[Route]:
    return [Route(unsubscribe.PATH, page, methods=["GET", "POST"])]
