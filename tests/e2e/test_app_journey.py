"""The web app's main journey in real Chromium against a real platform (issue 13).

A law firm signs up and verifies its email from the outbox, buys a pack, invites a client who
activates from the email link and receives credits; the client captures and seals; the admin
finds the deposit in the archive, sends it to the firm's office, sees the attestation once a
clerk accepts (through the API), and orders a PV up to the specimen. Every page passes axe-core
and is photographed in French and English.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from tests.bailiffs.helpers import Jobs, Office, choose_office, make_office, sealed_deposit
from tests.e2e.app_browser import (
    APP_DIST,
    app_browser,
    check_page,
    in_both_languages,
    new_page,
    outbox_link,
)
from tests.e2e.live import serve
from tests.e2e.widget_flow import sign_and_seal
from tests.e2e.widget_stand_in import CAMERA_IS_ON, CHROMIUM, DIST, free_port
from tests.factories import MemberInfo, Role, gql, log_in, unique_email

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


async def _sign_up_and_log_in(page: Any, settings: Settings, jobs: Jobs, email: str) -> None:
    await page.goto("/")
    await page.wait_for_url("**/app/login")
    await in_both_languages(page, "login")
    await page.get_by_role("link", name="Créer un compte").click()
    await page.get_by_label("Nom et prénom").fill("Claire Dupont")
    await page.get_by_label("Nom de l'organisation").fill("Cabinet Dupont")
    await page.get_by_label("SIREN").fill("443 061 841")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill("short")
    policy = page.get_by_test_id("password-policy")
    assert await policy.locator("[data-met=false]").count() >= 3
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    assert await policy.locator("[data-met=false]").count() == 0
    await page.get_by_label("J'accepte les conditions").check()
    await in_both_languages(page, "signup")
    await page.get_by_role("button", name="Créer mon compte").click()
    await page.get_by_text("Vérifiez votre adresse e-mail").wait_for()

    await jobs.run()
    await page.goto(outbox_link(settings, email, "/app/verify-email"))
    await page.get_by_text("Votre adresse e-mail est vérifiée.").wait_for()
    await check_page(page, "verify-email")
    await page.get_by_role("link", name="Continuer").click()
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert await page.get_by_test_id("organisation-name").inner_text() == "Cabinet Dupont"
    await page.evaluate("window.__sameDocument = true")  # gone if a navigation reloads the page
    await in_both_languages(page, "dashboard")


async def _buy_a_pack_and_invite(page: Any, client_email: str) -> None:
    await page.get_by_role("link", name="Crédits et facturation").click()
    await page.get_by_role("heading", name="Packs de crédits").wait_for()
    assert await page.get_by_test_id("billing-balance").inner_text() == "0 crédit"
    await page.get_by_role("button", name="Acheter").last.click()
    await page.get_by_text("Paiement reçu").wait_for()
    await expect(page.get_by_test_id("billing-balance")).not_to_have_text("0 crédit")
    bought = int((await page.get_by_test_id("billing-balance").inner_text()).split()[0])
    assert bought >= 5
    await page.get_by_test_id("ledger").get_by_text("Achat").wait_for()
    await in_both_languages(page, "credits")

    await page.get_by_role("link", name="Membres").click()
    await page.get_by_role("heading", name="Inviter un membre").wait_for()
    await page.get_by_label("Adresse e-mail").fill(client_email)
    await page.get_by_role("combobox", name="Rôle").click()
    await page.get_by_role("option", name="Client").click()
    await page.get_by_role("button", name="Envoyer l’invitation").click()
    await page.locator(f"tr[data-email='{client_email}']").get_by_text("Invité").wait_for()


async def _activate(page: Any, settings: Settings, email: str) -> None:
    await page.goto(outbox_link(settings, email, "/app/activate"))
    assert await page.get_by_label("Code d'invitation").input_value() != ""
    assert await page.get_by_label("Adresse e-mail").input_value() == email
    await page.get_by_label("Nom et prénom").fill("Société Martin")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_label("J'accepte les conditions").check()
    await in_both_languages(page, "activate")
    await page.get_by_role("button", name="Activer mon compte").click()
    await page.get_by_role("heading", name="Tableau de bord").wait_for()
    navigation = await page.get_by_role("navigation").inner_text()
    assert "Nouveau dépôt" in navigation and "Crédits et facturation" not in navigation
    await expect(page.get_by_test_id("balance")).to_contain_text("0 crédit")


async def _transfer(page: Any, client_email: str) -> None:
    await page.reload()  # the admin comes back to the members page once the client joined
    row = page.locator(f"tr[data-email='{client_email}']")
    await row.get_by_text("Actif").wait_for()
    assert await row.get_by_test_id("member-balance").inner_text() == "0"
    await row.get_by_role("button", name="Crédits de Société Martin").click()
    await page.get_by_label("Nombre de crédits").fill("3")
    await page.get_by_text("Solde du membre : 0 → 3").wait_for()
    await page.get_by_role("dialog").get_by_role("button", name="Transférer").click()
    await page.get_by_test_id("credits-moved").get_by_text("Solde du membre : 0 → 3").wait_for()
    await check_page(page, "members-transfer")
    await page.get_by_role("button", name="Fermer").last.click()
    await page.get_by_role("dialog").wait_for(state="hidden")
    await row.get_by_test_id("member-balance").get_by_text("3").wait_for()
    await in_both_languages(page, "members")


async def _capture_and_seal(page: Any, artifacts: Path) -> str:
    await page.get_by_role("link", name="Nouveau dépôt").first.click()
    widget = page.locator("probant-capture")
    await page.get_by_test_id("capture-price").wait_for()
    await widget.get_by_role("button", name="Autoriser et commencer").click()
    await page.wait_for_function(CAMERA_IS_ON, timeout=15000)
    await widget.get_by_role("button", name="Prendre la photo").click()
    await widget.get_by_text("1 / 20 photos").wait_for(timeout=15000)
    await page.wait_for_function(
        "window.probantEvents.some(e => e.type === 'probant:captured')", timeout=20000
    )
    await check_page(page, "new-deposit")
    sealed = await sign_and_seal(page, widget, artifacts, "Fissures en façade")
    await page.get_by_role("link", name="Voir le dépôt et son rapport certifié").wait_for()
    return str(sealed[0]["reference"])


async def _clerk_accepts(url: str, office: Office, reference: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as clerk:
        await log_in(clerk, office.clerk)
        queue = await gql(clerk, "{ reviewQueue { edges { node { id deposit { reference } } } } }")
        [submission] = [
            e["node"]["id"]
            for e in queue["reviewQueue"]["edges"]
            if e["node"]["deposit"]["reference"] == reference
        ]
        claim = "mutation($s: ID!) { claimSubmission(submissionId: $s) { __typename } }"
        accept = "mutation($s: ID!) { acceptDeposit(submissionId: $s) { __typename } }"
        assert (await gql(clerk, claim, {"s": submission}))["claimSubmission"]["__typename"] == (
            "SubmissionPayload"
        )
        accepted = await gql(clerk, accept, {"s": submission})
        assert accepted["acceptDeposit"]["__typename"] == "SubmissionPayload"


async def _owners_own_deposit(url: str, email: str) -> str:
    """A deposit the owner makes through the API, which the client must never see."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as api:
        owner = MemberInfo(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), email, PASSWORD, Role.OWNER)
        await log_in(api, owner)
        return str((await sealed_deposit(api))["reference"])


async def _usual_office(url: str, email: str, office: Office) -> None:
    """The firm names its office: committed tests leave other offices as near as this one."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as api:
        owner = MemberInfo(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), email, PASSWORD, Role.OWNER)
        await log_in(api, owner)
        await choose_office(api, office.node_id)


async def test_a_law_firm_signs_up_and_its_client_deposits(
    live: tuple[str, Settings], committed_database: Database, tmp_path: Path
) -> None:
    url, settings = live
    build_runtime(settings, committed_database)  # jobs run here, as the worker would
    jobs = await Jobs.watch(committed_database)
    office = await make_office(committed_database, name="Étude Lutèce")
    owner_email, client_email = unique_email("avocate"), unique_email("client")

    async with app_browser() as browser:
        owner = await new_page(browser, url)
        await _sign_up_and_log_in(owner, settings, jobs, owner_email)
        await _buy_a_pack_and_invite(owner, client_email)
        await jobs.run()

        client = await new_page(browser, url, enforce_csp=False)
        await _activate(client, settings, client_email)
        await _transfer(owner, client_email)
        reference = await _capture_and_seal(client, tmp_path)
        await jobs.run(skip=())
        private = await _owners_own_deposit(url, owner_email)
        await _usual_office(url, owner_email, office)

        # The client sees only their own deposit, and no billing page.
        await client.get_by_role("link", name="Archives").click()
        await client.get_by_test_id("archive-table").get_by_text(reference).wait_for()
        assert await client.get_by_text(private).count() == 0
        await client.goto("/app/credits")
        await client.get_by_role("heading", name="Page introuvable").wait_for()
        assert client.script_errors == []

        # The admin finds it in the archive and sends it to the firm's office.
        await owner.get_by_role("link", name="Archives").click()
        await owner.get_by_test_id("archive-table").get_by_text(private).wait_for()
        await owner.get_by_test_id("archive-table").get_by_text(reference).wait_for()
        await in_both_languages(owner, "archive")
        await owner.get_by_label("Référence, titre ou ville").fill(reference)
        await owner.get_by_label("Référence, titre ou ville").press("Enter")
        await expect(owner.get_by_test_id("archive-table").locator("tbody tr")).to_have_count(1)
        assert "q=" in owner.url  # the filter lives in the address
        await owner.get_by_role("link", name=reference).click()
        await owner.get_by_test_id("deposit-reference").get_by_text(reference).wait_for()
        await owner.get_by_role("button", name="Envoyer pour examen").click()
        await owner.get_by_test_id("submission").get_by_text("Étude Lutèce").wait_for()

        await _clerk_accepts(url, office, reference)
        await jobs.run(skip=())
        await owner.reload()
        await owner.evaluate("window.__sameDocument = true")  # from here on, no reload
        await owner.get_by_test_id("attestation").wait_for()
        # The sealed photo links to its copy carrying C2PA Content Credentials.
        copy = owner.get_by_test_id("deposit-items").get_by_role(
            "link", name="Copie avec Content Credentials (C2PA)"
        )
        await expect(copy).to_have_count(1)
        async with httpx.AsyncClient(timeout=30) as http:
            credentialed = await http.get(str(await copy.get_attribute("href")))
        assert credentialed.status_code == 200, credentialed.text
        assert credentialed.headers["content-type"] == "image/jpeg"
        assert b"c2pa" in credentialed.content
        await in_both_languages(owner, "deposit")

        # A PV de constat up to the specimen, then payment.
        await owner.get_by_label("Forme juridique", exact=True).fill("SELARL")
        await owner.get_by_label("Ville du RCS", exact=True).fill("Paris")
        await owner.get_by_label("Adresse", exact=True).fill("12 rue de Rivoli")
        await owner.get_by_label("Code postal", exact=True).fill("75004")
        await owner.get_by_label("Ville", exact=True).fill("Paris")
        await owner.get_by_label("Prénom du représentant", exact=True).fill("Claire")
        await owner.get_by_label("Nom du représentant", exact=True).fill("Dupont")
        await owner.get_by_label("Exposé").fill("Fissures apparues après les travaux voisins.")
        await owner.get_by_role("button", name="Commander le PV").click()
        await owner.get_by_test_id("specimen").locator("iframe").wait_for()
        await check_page(owner, "constat-specimen")
        await owner.get_by_role("button", name="Payer").click()
        await owner.get_by_text("en attente de validation par l’étude").wait_for()

        for link, name in (("Organisation", "organisation"), ("Mon compte", "account")):
            await owner.get_by_role("link", name=link).click()
            await owner.get_by_role("heading", name=link, exact=True).wait_for()
            await in_both_languages(owner, name)
        assert await owner.evaluate("window.__sameDocument === true")

        await owner.set_viewport_size({"width": 390, "height": 844})  # a phone
        await owner.get_by_role("button", name="Ouvrir le menu").click()
        await owner.get_by_role("link", name="Tableau de bord").click()
        await owner.get_by_role("heading", name="Tableau de bord").wait_for()
        await check_page(owner, "dashboard-phone")
        assert owner.script_errors == []
