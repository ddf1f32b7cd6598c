"""The web app's main journey in real Chromium against a real platform (issue 13).

A law firm signs up and verifies its email from the outbox, buys a pack, invites a client who
activates from the email link and receives credits; the client captures and seals; the admin
finds the deposit in the archive, sends it to the nearest office, sees the attestation once a
clerk accepts (through the API), and orders a PV up to the specimen. Every page passes axe-core
and is photographed in French and English.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.bailiffs.helpers import Jobs, make_office
from tests.e2e.app_browser import (
    APP_DIST,
    app_browser,
    check_page,
    in_both_languages,
    new_page,
    outbox_link,
)
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import CHROMIUM, DIST, free_port
from tests.factories import unique_email

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "Constat-Solide-2026!"


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[tuple[str, Settings]]:
    for needed, how in (
        (APP_DIST / "index.html", "admin-ui/dist is missing: run `make install`"),
        (DIST / "manifest.json", "capture-widget/dist is missing: run `make install`"),
        (CHROMIUM, "Chromium is missing: `apt-get install -y chromium`"),
    ):
        if not needed.exists():
            pytest.fail(how)
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    with serve(create_app(settings, configure_logs=False), port) as url:
        yield url, settings


async def test_a_law_firm_signs_up_and_its_client_deposits(
    live: tuple[str, Settings], committed_database: Database
) -> None:
    url, settings = live
    build_runtime(settings, committed_database)  # jobs run here, as the worker would
    jobs = await Jobs.watch(committed_database)
    await make_office(committed_database, name="Étude Lutèce")
    owner_email = unique_email("avocate")

    async with app_browser() as browser:
        owner = await new_page(browser, url)
        await owner.goto("/")
        await owner.wait_for_url("**/app/login")
        await in_both_languages(owner, "login")
        await owner.get_by_role("link", name="Créer un compte").click()
        await owner.get_by_label("Nom et prénom").fill("Claire Dupont")
        await owner.get_by_label("Nom de l'organisation").fill("Cabinet Dupont")
        await owner.get_by_label("SIREN").fill("443 061 841")
        await owner.get_by_label("Adresse e-mail").fill(owner_email)
        await owner.get_by_label("Mot de passe").fill("short")
        policy = owner.get_by_test_id("password-policy")
        assert await policy.locator("[data-met=false]").count() >= 3
        await owner.get_by_label("Mot de passe").fill(PASSWORD)
        assert await policy.locator("[data-met=false]").count() == 0
        await owner.get_by_label("J'accepte les conditions").check()
        await in_both_languages(owner, "signup")
        await owner.get_by_role("button", name="Créer mon compte").click()
        await owner.get_by_text("Vérifiez votre adresse e-mail").wait_for()

        await jobs.run()
        await owner.goto(outbox_link(settings, owner_email, "/app/verify-email"))
        await owner.get_by_text("Votre adresse e-mail est vérifiée.").wait_for()
        await check_page(owner, "verify-email")
        await owner.get_by_role("link", name="Continuer").click()
        await owner.get_by_label("Adresse e-mail").fill(owner_email)
        await owner.get_by_label("Mot de passe").fill(PASSWORD)
        await owner.get_by_role("button", name="Se connecter").click()
        await owner.get_by_role("heading", name="Tableau de bord").wait_for()
        assert await owner.get_by_test_id("organisation-name").inner_text() == "Cabinet Dupont"
        await in_both_languages(owner, "dashboard")
        assert owner.script_errors == []
