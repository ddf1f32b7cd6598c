"""The API explorer at /graphql in real Chromium, with every request off this machine blocked.

GraphiQL is our own build (`graphiql/`, npm `graphiql` bundled with Vite): the page, its
editor and workers load from the platform alone; it runs `{ apiVersion }`; after a log-in
through the explorer a cookie mutation carries the session's `x-probant-csrf` header; a
partner's pasted bearer token is sent instead of the cookie.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from tests.e2e.app_browser import app_browser
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import CHROMIUM, free_port
from tests.factories import PASSWORD, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.partners.helpers import register_client, token_for

from probant_platform import __version__
from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.app import create_app

pytestmark = pytest.mark.e2e

EXPLORER_DIST = Path(__file__).resolve().parents[2] / "graphiql" / "dist"
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[str]:
    for needed, how in (
        (EXPLORER_DIST / "index.html", "graphiql/dist is missing: run `make install`"),
        (CHROMIUM, "Chromium is missing: `apt-get install -y chromium`"),
    ):
        if not needed.exists():
            pytest.fail(how)
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    with serve(create_app(settings, configure_logs=False), port) as url:
        yield url


class Offline:
    """A browser context where only this machine answers; what else was asked is kept."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.graphql: list[dict[str, Any]] = []

    async def route(self, route: Any) -> None:
        request = route.request
        if urlsplit(request.url).hostname not in LOCAL_HOSTS and not request.url.startswith(
            ("data:", "blob:")
        ):
            self.blocked.append(request.url)
            await route.abort("blockedbyclient")
            return
        if request.method == "POST" and urlsplit(request.url).path == "/graphql":
            self.graphql.append({"headers": await request.all_headers(), "body": request.post_data})
        await route.continue_()


async def explorer(browser: Any, url: str, offline: Offline, query: str) -> Any:
    context = await browser.new_context(base_url=url, locale="en-GB")
    await context.route("**/*", offline.route)
    page = await context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda message: page.problems.append(message.text) if message.type == "error" else None,
    )
    await page.goto(f"/graphql#query={quote(query)}")
    await page.locator(".graphiql-container").wait_for()
    await page.locator(".graphiql-query-editor .view-lines").wait_for()
    return page


async def run(page: Any) -> str:
    """Run the editor's query; the response editor's text once it shows one."""
    result = page.locator(".result-window .view-lines")
    before = await result.inner_text() if await result.count() else ""
    await page.locator(".graphiql-execute-button").click()
    await page.wait_for_function(
        "(before) => { const el = document.querySelector('.result-window .view-lines');"
        " return el && el.innerText.trim() && el.innerText !== before; }",
        arg=before,
    )
    text: str = await result.inner_text()
    return text.replace("\u00a0", " ")


async def test_the_explorer_runs_a_query_with_nothing_from_the_internet(live: str) -> None:
    offline = Offline()
    async with app_browser() as browser:
        page = await explorer(browser, live, offline, "{ apiVersion }")
        shown = await run(page)
        await page.screenshot(path=str(Path(tempfile.gettempdir()) / "probant-graphiql.png"))
    assert f'"apiVersion": "{__version__}"' in shown, shown
    assert offline.blocked == []
    assert page.problems == []


async def test_a_cookie_session_sends_its_csrf_header_and_a_pasted_token_replaces_it(
    live: str, committed_database: Database
) -> None:
    owner = await make_organisation(committed_database, name="Cabinet Explorateur")
    await fund(committed_database, owner.organisation_id, 7)
    async with httpx.AsyncClient(base_url=live, timeout=30) as admin:
        await log_in(admin, owner)
        credentials = await register_client(admin, ["credits:read"], name="Explorateur")
        token = await token_for(admin, credentials)

    log_in_query = (
        f'mutation {{ logIn(email: "{owner.email}", password: "{PASSWORD}") {{ __typename }} }}'
    )
    rename = (
        'mutation { updateMyProfile(fullName: "Camille Explorer") { __typename '
        "... on NotAllowed { code } } }"
    )
    offline = Offline()
    async with app_browser() as browser:
        page = await explorer(browser, live, offline, log_in_query)
        assert '"__typename": "LogInPayload"' in await run(page)
        cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
        await page.goto(f"/graphql#query={quote(rename)}")
        await page.reload()
        await page.locator(".graphiql-query-editor .view-lines").wait_for()
        renamed = await run(page)
        assert '"__typename": "PersonPayload"' in renamed, renamed
        sent = offline.graphql[-1]["headers"]
        assert sent["x-probant-csrf"] == cookies["probant_csrf"]
        assert "authorization" not in sent

        # A partner pastes its token: it is sent, the browser's cookie and CSRF header are not.
        await page.goto(f"/graphql#query={quote('{ creditBalance }')}")
        await page.reload()
        await page.locator(".graphiql-query-editor .view-lines").wait_for()
        await page.get_by_label("Access token (partners)").fill(token)
        assert await page.get_by_test_id("auth-mode").inner_text() == "Partner token"
        balance = await run(page)
        assert '"creditBalance": 7' in balance, balance
        sent = offline.graphql[-1]["headers"]
        assert sent["authorization"] == f"Bearer {token}"
        assert "x-probant-csrf" not in sent and "probant_session" not in sent.get("cookie", "")
    assert offline.blocked == []
    assert page.problems == []
