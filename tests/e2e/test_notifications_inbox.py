"""The inbox in real Chromium against a real platform (issue 22): the bell counts what
happened (deposits sealed through the API), the list links to each deposit, reading one and
reading all bring the count down; the service worker registers after a click and shows a
push delivered to it. Pages pass axe-core in French and English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from tests.bailiffs.helpers import Jobs, sealed_deposit
from tests.e2e.app_browser import APP_DIST, CHROMIUM_ARGS, app_browser, in_both_languages
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import CHROMIUM, free_port
from tests.factories import MemberInfo, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.notifications.helpers import run_notifying

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app

pytestmark = pytest.mark.e2e
assert CHROMIUM_ARGS  # the same browser flags as the other app tests (see app_browser)


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[tuple[str, Settings]]:
    for needed, how in (
        (APP_DIST / "index.html", "admin-ui/dist is missing: run `make install`"),
        (APP_DIST / "sw.js", "admin-ui/dist is stale: run `make install`"),
        (CHROMIUM, "Chromium is missing: `apt-get install -y chromium`"),
    ):
        if not needed.exists():
            pytest.fail(how)
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    with serve(create_app(settings, configure_logs=False), port) as url:
        yield url, settings


async def _page(browser: Any, url: str, member: MemberInfo) -> Any:
    context = await browser.new_context(
        base_url=url,
        permissions=["notifications"],
        viewport={"width": 1200, "height": 900},
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    page = await context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    await page.goto("/app/login")
    await page.get_by_label("Adresse e-mail").fill(member.email)
    await page.get_by_label("Mot de passe").fill(member.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(lambda address: "/login" not in address)
    return page


async def _eventually(page: Any, expression: str, seconds: float = 10.0) -> Any:
    """The value of a promise-returning expression, once it is not null."""
    for _ in range(int(seconds / 0.1)):
        value = await page.evaluate(expression)
        if value is not None:
            return value
        await page.wait_for_timeout(100)
    raise AssertionError(f"still null: {expression}")


async def test_the_bell_counts_and_the_list_marks_read(
    live: tuple[str, Settings], committed_database: Database
) -> None:
    url, settings = live
    build_runtime(settings, committed_database)  # jobs run here, as the worker would
    firm = await make_organisation(committed_database, name="Cabinet Clochette")
    await fund(committed_database, firm.organisation_id, 5)
    jobs = await Jobs.watch(committed_database)
    async with httpx.AsyncClient(base_url=url, timeout=30) as api:
        await log_in(api, firm)
        first = await sealed_deposit(api)
        await run_notifying(jobs)

        async with app_browser() as browser:
            page = await _page(browser, url, firm)
            bell = page.get_by_role("link", name="Notifications : 1 non lue")
            await bell.wait_for()
            await expect(page.get_by_test_id("notification-count")).to_contain_text("1")

            second = await sealed_deposit(api)
            await run_notifying(jobs)
            await bell.click()  # a page change asks the count again
            await page.get_by_role("heading", name="Notifications").wait_for()
            await page.get_by_role("link", name="Notifications : 2 non lues").wait_for()
            items = page.get_by_test_id("notification")
            await expect(items).to_have_count(2)
            await expect(items.first).to_contain_text(f"Dépôt {second['reference']} scellé.")
            await expect(page.get_by_test_id("unread-summary")).to_have_text(
                "2 notifications non lues"
            )
            await in_both_languages(page, "notifications")

            await page.get_by_role(
                "button", name=f"Marquer comme lue — Dépôt {first['reference']} scellé."
            ).click()
            await expect(page.get_by_test_id("unread-summary")).to_have_text(
                "1 notification non lue"
            )
            await expect(items.nth(1)).to_have_attribute("data-read", "true")
            await page.get_by_role("button", name="Tout marquer comme lu").click()
            await expect(page.get_by_test_id("unread-summary")).to_have_text(
                "0 notification non lue"
            )
            await page.get_by_role("link", name="Notifications : 0 non lue").wait_for()

            # The link opens the deposit.
            await page.get_by_role("link", name=f"Dépôt {second['reference']} scellé.").click()
            await page.wait_for_url(f"**/app/deposits/{second['id']}")
            assert page.script_errors == []


async def test_the_service_worker_registers_on_a_click_and_shows_a_push(
    live: tuple[str, Settings], committed_database: Database
) -> None:
    url, settings = live
    build_runtime(settings, committed_database)
    firm = await make_organisation(committed_database, name="Cabinet Pousse")
    async with app_browser() as browser:
        page = await _page(browser, url, firm)
        await page.goto("/app/account")
        await page.get_by_role("heading", name="Notifications par type").wait_for()
        await in_both_languages(page, "account-notifications")
        choices = page.get_by_test_id("notification-choices")
        await expect(choices.get_by_role("switch", name="Dépôt scellé — Push")).not_to_be_checked()
        await expect(choices.get_by_role("switch", name="Certificat émis — E-mail")).to_be_checked()
        # Nothing is registered, and no permission asked, before the person clicks.
        assert (
            await page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)")
            == 0
        )
        await page.get_by_role("button", name="Activer les notifications push ici").click()
        # Headless Chromium has no push service to subscribe with: the registration itself
        # is what this browser can show, then a push delivered to the worker by DevTools.
        script = await _eventually(
            page,
            "navigator.serviceWorker.getRegistration('/app/')"
            ".then(r => r && r.active ? r.active.scriptURL : null)",
        )
        assert script == f"{url}/app/sw.js"
        await page.get_by_text(
            "L’abonnement aux notifications push a échoué. Réessayez."
        ).wait_for()
        cdp = await page.context.new_cdp_session(page)
        registrations: list[dict[str, Any]] = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        await cdp.send("ServiceWorker.enable")
        await page.wait_for_timeout(500)
        [registration] = [r for r in registrations if r["scopeURL"] == f"{url}/app/"]
        payload = {
            "title": "Probant",
            "body": "Dépôt PRB-TEST scellé.",
            "url": f"{url}/app/notifications",
            "tag": "e2e",
        }
        await cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
        shown = await _eventually(
            page,
            "navigator.serviceWorker.getRegistration('/app/').then(r => r.getNotifications())"
            ".then(n => n.length ? { title: n[0].title, body: n[0].body, url: n[0].data.url }"
            " : null)",
        )
        assert shown == {
            "title": "Probant",
            "body": "Dépôt PRB-TEST scellé.",
            "url": f"{url}/app/notifications",
        }
        assert page.script_errors == []
