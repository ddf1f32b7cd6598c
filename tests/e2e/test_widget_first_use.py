"""A person's first use of the widget on the demo intranet, in headless Chromium, against the
real platform: the host page switches modes and language visibly, every string follows the
chosen language (server messages too), an expired capture token is replaced through the host
page without losing the photo, and the sealed screen shows the certified report once issued.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from tests.bailiffs.helpers import Jobs
from tests.e2e.live import live_platform, serve
from tests.e2e.widget_flow import intranet_config
from tests.e2e.widget_stand_in import CAMERA_IS_ON, chromium_page, free_port
from tests.e2e.widget_stand_in import wait_for_event as events_of
from tests.factories import make_organisation
from tests.integrity.proof_world import close_and_anchor
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.demo_intranet import create_intranet_app

pytestmark = pytest.mark.e2e


@pytest.fixture
def platform_url(settings: Settings) -> Iterator[str]:
    with live_platform(settings, widget=True) as url:
        yield url


@pytest.fixture
async def intranet(platform_url: str, committed_database: Database) -> AsyncIterator[str]:
    port = free_port()
    owner = await make_organisation(committed_database)
    await fund(committed_database, owner.organisation_id, 10)
    config = await intranet_config(platform_url, owner, port)
    with serve(create_intranet_app(config), port) as url:
        yield url


async def _photo_and_details(widget: Any, words: dict[str, str]) -> None:
    await widget.get_by_role("button", name=words["shoot"]).click()
    await widget.get_by_text("1 / 20").wait_for(timeout=20000)
    await widget.get_by_role("button", name=words["continue"]).click()
    await widget.get_by_role("heading", name=words["review"]).wait_for(timeout=20000)
    await widget.get_by_role("button", name=words["continue"]).click()
    await widget.get_by_label(words["title"]).fill("Fissure")
    await widget.get_by_label(words["street"]).fill("8 quai Saint-Antoine")
    await widget.get_by_label(words["postcode"]).fill("69002")
    await widget.get_by_label(words["city"]).fill("Lyon")
    await widget.get_by_role("button", name=words["continue"]).click()


ENGLISH = {
    "start": "Allow and start",
    "shoot": "Take photo",
    "continue": "Continue",
    "review": "Check and comment each item",
    "title": "Report title",
    "street": "Street and number",
    "postcode": "Postcode",
    "city": "City",
}
FRENCH = {
    "start": "Autoriser et commencer",
    "shoot": "Prendre la photo",
    "continue": "Continuer",
    "review": "Vérifiez et commentez chaque média",
    "title": "Titre du rapport",
    "street": "Rue et numéro",
    "postcode": "Code postal",
    "city": "Ville",
}


async def test_the_host_page_switches_mode_and_language_and_the_price_line_is_english(
    intranet: str,
) -> None:
    async with chromium_page() as page:
        await page.goto(intranet)
        widget = page.locator("probant-capture")
        await events_of(page, "probant:ready")
        await page.get_by_role("button", name="Vidéo").click()
        video_mode = await widget.get_attribute("mode")
        video_label = await widget.locator(".mode").inner_text()
        await page.get_by_role("button", name="Photos").click()
        await page.get_by_role("button", name="English").click()
        await widget.get_by_role("button", name=ENGLISH["start"]).click()
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        await _photo_and_details(widget, ENGLISH)
        await widget.get_by_text("This deposit costs 1 credit.").wait_for(timeout=15000)
        price = await widget.locator(".muted").first.inner_text()

    assert video_mode == "video" and video_label == "Vidéo"
    assert price == "1 credit per deposit. Current balance: 10 credits."


async def test_an_expired_token_is_renewed_and_the_report_link_appears_once_issued(
    intranet: str, committed_database: Database, settings: Settings
) -> None:
    jobs = await Jobs.watch(committed_database)
    async with chromium_page() as page:
        await page.goto(intranet)
        widget = page.locator("probant-capture")
        await events_of(page, "probant:ready")
        await widget.get_by_role("button", name=FRENCH["start"]).click()
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        # Ten idle minutes later the token has expired: the platform no longer knows it.
        await widget.evaluate("w => w.setAttribute('token', 'pct_expired')")
        await _photo_and_details(widget, FRENCH)
        await widget.get_by_text("Ce dépôt coûte 1 crédit.").wait_for(timeout=15000)
        await widget.get_by_label("Nom et prénom du signataire").fill("Nadia Haddad")
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_label("Je certifie avoir capturé").check()
        await widget.get_by_role("button", name="Sceller pour 1 crédit").click()
        await widget.get_by_role("heading", name="Dépôt scellé").wait_for(timeout=20000)
        pending = await widget.locator("[data-certificate]").inner_text()
        sealed_at = await widget.locator("dd").nth(1).inner_text()

        await jobs.run()  # the sealed items join the open batch
        await close_and_anchor(committed_database, settings)
        await jobs.run()  # the certified report is issued
        await widget.locator('[data-certificate="issued"]').wait_for(timeout=60000)
        link = await widget.get_by_role("link", name="Voir le certificat").get_attribute("href")
        issued = await events_of(page, "probant:certificate")
        token = await widget.get_attribute("token")

    assert token != "pct_expired"  # the host page's tokenProvider gave a fresh one
    assert "en préparation" in pending
    assert "UTC" in sealed_at or "CET" in sealed_at or "+" in sealed_at
    assert link is not None and "/certificate.pdf" in link
    assert issued[0]["url"] == link
    async with httpx.AsyncClient() as browser:
        report = await browser.get(link)
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


async def test_a_reload_keeps_the_photo_already_sent(
    intranet: str, committed_database: Database
) -> None:
    async with chromium_page() as page:
        await page.goto(intranet)
        widget = page.locator("probant-capture")
        await events_of(page, "probant:ready")
        await widget.get_by_role("button", name=FRENCH["start"]).click()
        await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
        await widget.get_by_role("button", name=FRENCH["shoot"]).click()
        [captured] = await events_of(page, "probant:captured")

        await page.reload()  # the intranet mints a new token; the tab keeps the capture
        await events_of(page, "probant:ready")
        await widget.get_by_role("button", name=FRENCH["start"]).click()
        await widget.get_by_text("1 / 20").wait_for(timeout=20000)
        await widget.get_by_role("button", name=FRENCH["continue"]).click()
        await widget.get_by_role("heading", name=FRENCH["review"]).wait_for(timeout=20000)
        restored = await widget.locator(".restored").inner_text()
        await widget.get_by_role("button", name=FRENCH["continue"]).click()
        await widget.get_by_label(FRENCH["title"]).fill("Après rechargement")
        await widget.get_by_label(FRENCH["street"]).fill("8 quai Saint-Antoine")
        await widget.get_by_label(FRENCH["postcode"]).fill("69002")
        await widget.get_by_label(FRENCH["city"]).fill("Lyon")
        await widget.get_by_role("button", name=FRENCH["continue"]).click()
        await widget.get_by_label("Nom et prénom du signataire").fill("Nadia Haddad")
        await widget.get_by_role("button", name="Continuer").click()
        await widget.get_by_label("Je certifie avoir capturé").check()
        await widget.get_by_role("button", name="Sceller pour 1 crédit").click()
        await widget.get_by_role("heading", name="Dépôt scellé").wait_for(timeout=20000)
        same = await widget.get_by_text("identique à l’empreinte calculée").count()

    assert "Déjà envoyé" in restored
    assert same == 1 and captured["sha256"]
