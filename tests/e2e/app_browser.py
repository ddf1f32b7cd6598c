"""The web app in headless Chromium: one server per module, pages checked with axe-core and
photographed in both languages (copied into docs/app-screenshots/ by `make app-screenshots`)."""

from __future__ import annotations

import contextlib
import email
import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout
from tests.e2e.widget_stand_in import CHROMIUM

from probant_platform.config import Settings

REPO = Path(__file__).resolve().parents[2]
APP_DIST = REPO / "admin-ui" / "dist"
AXE = REPO / "admin-ui" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(tempfile.gettempdir()) / "probant-app-screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
# Listeners for the capture widget's events, as an embedding page would register them.
WIDGET_EVENTS = """
window.probantEvents = [];
for (const name of ['probant:ready', 'probant:captured', 'probant:error', 'probant:sealed']) {
  document.addEventListener(name, (e) =>
    window.probantEvents.push({ type: e.type, detail: e.detail }));
}"""


@asynccontextmanager
async def app_browser() -> AsyncIterator[Any]:
    """A Chromium with a fake camera and a granted location in central Paris."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(
    browser: Any, base_url: str, *, width: int = 1200, enforce_csp: bool = True
) -> Any:
    """A fresh person (own cookies) in French; script errors fail the test at the end.

    `enforce_csp=False` only for pages driven by the widget's test helpers, whose
    `wait_for_function` predicates Playwright evaluates with `eval` (which the CSP forbids).
    """
    context = await browser.new_context(
        base_url=base_url,
        bypass_csp=not enforce_csp,
        permissions=["geolocation", "camera", "microphone"],
        geolocation={"latitude": 48.8566, "longitude": 2.3522, "accuracy": 12},
        viewport={"width": width, "height": 900},
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    await context.add_init_script(WIDGET_EVENTS)
    page = await context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return page


async def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it stands."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the app's CSP forbids inline script tags.
        await page.evaluate(AXE.read_text() + "\n;undefined")
    result = await page.evaluate(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => "
        "({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target) })))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


async def check_page(page: Any, name: str) -> None:
    """No serious accessibility violation; a full-page screenshot named after the page and
    the language shown."""
    with contextlib.suppress(PlaywrightTimeout):  # a live camera stream may never go idle
        await page.wait_for_load_state("networkidle", timeout=10000)
    violations = await serious_violations(page)
    assert violations == [], f"{name}: {violations}"
    language = await page.evaluate("document.documentElement.lang")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.evaluate("window.scrollTo(0, 0)")  # else the fixed header lands mid-page
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.{language}.png"), full_page=True)


async def in_both_languages(page: Any, name: str) -> None:
    """Check and photograph the page in French, then English, and come back to French."""
    await check_page(page, name)
    await page.get_by_text("EN", exact=True).first.click()
    await page.wait_for_function("document.documentElement.lang === 'en'")
    await check_page(page, name)
    await page.get_by_text("FR", exact=True).first.click()
    await page.wait_for_function("document.documentElement.lang === 'fr'")


def outbox_link(settings: Settings, to: str, path: str) -> str:
    """The newest link to `path` (e.g. /app/verify-email) in an email written to the outbox."""
    outbox = settings.data_dir / "outbox"
    for file in sorted(outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(file.read_bytes())
        if to not in str(message["To"]):
            continue
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode()
                found = re.search(rf"https?://\S+{re.escape(path)}\?\S+", body)
                if found:
                    return found.group(0)
    raise AssertionError(f"no email to {to} with a link to {path}")
