# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The office workspace in real Chromium against a real platform (issue 17).

A tenant submits through the API; the clerk claims it in the queue, checks the stored files,
rejects one item and accepts the rest, and the tenant gets the attestation. The tenant then
orders and pays a PV (API); the clerk prepares the exposé but cannot validate; the commissaire
validates and signs in the browser and `probant verify --pdf` accepts the PV. A clerk of
another office never sees this office's queue. Every page passes axe-core, in French and
English.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from tests.bailiffs.helpers import (
    IDENTITY,
    LYON,
    Jobs,
    make_office,
    probant_verify,
    sealed_deposit,
    submit,
)
from tests.e2e.app_browser import APP_DIST, app_browser, check_page, in_both_languages, new_page
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import CHROMIUM, free_port
from tests.factories import MemberInfo, gql, log_in, make_organisation, unique_email
from tests.integrity.proof_world import close_and_anchor
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[tuple[str, Settings]]:
    for needed, how in (
        (APP_DIST / "index.html", "admin-ui/dist is missing: run `make install`"),
        (CHROMIUM, "Chromium is missing: `apt-get install -y chromium`"),
    ):
        if not needed.exists():
            pytest.fail(how)
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    with serve(create_app(settings, configure_logs=False), port) as url:
        yield url, settings


async def log_in_page(browser: Any, url: str, member: MemberInfo) -> Any:
    page = await new_page(browser, url)
    await page.goto("/app/login")
    await page.get_by_label("Adresse e-mail").fill(member.email)
    await page.get_by_label("Mot de passe").fill(member.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(lambda address: "/login" not in address)
    await page.goto("/app/office")
    await page.get_by_role("heading", name="File de revue").wait_for()
    return page


async def accessible(page: Any, name: str) -> None:
    """axe-core and screenshots in both languages, once the notifications have gone."""
    await expect(page.locator(".mantine-Notification-root")).to_have_count(0, timeout=20000)
    await in_both_languages(page, name)


async def test_the_clerk_reviews_and_the_commissaire_signs_the_pv(
    live: tuple[str, Settings], committed_database: Database, tmp_path: Path
) -> None:
    url, settings = live
    build_runtime(settings, committed_database)  # jobs run here, as the worker would
    jobs = await Jobs.watch(committed_database)
    office = await make_office(committed_database, name="Étude Lutèce")
    other = await make_office(
        committed_database, name="Étude Bellecour", city="Lyon", postcode="69002", at=LYON
    )
    firm = await make_organisation(committed_database, name="Cabinet Verne")
    await fund(committed_database, firm.organisation_id, 5)

    async with httpx.AsyncClient(base_url=url, timeout=30) as tenant:
        await log_in(tenant, firm)
        deposit = await sealed_deposit(tenant, photos=2)
        await jobs.run()  # the sealed items join the open batch, anchored next
        await close_and_anchor(committed_database, settings)
        submitted = await submit(tenant, deposit["id"], office.node_id)
        assert submitted["__typename"] == "SubmissionPayload", submitted
        await jobs.run()

        async with app_browser() as browser:
            clerk = await log_in_page(browser, url, office.clerk)
            row = clerk.get_by_test_id("queue-row").filter(has_text=deposit["reference"])
            await row.get_by_test_id("countdown").wait_for()
            await in_both_languages(clerk, "office-queue")
            await row.get_by_role("button", name="Prendre").click()
            await row.get_by_role("cell", name="Clerk Dupont").wait_for()
            await row.get_by_role("link", name="Examiner").click()

            await clerk.get_by_role(
                "heading", name=f"Examen du dépôt {deposit['reference']}"
            ).wait_for()
            await clerk.get_by_test_id("check-ok").nth(1).wait_for()
            assert await clerk.get_by_test_id("check-bad").count() == 0
            await accessible(clerk, "office-review")
            await clerk.get_by_role("button", name="Agrandir la photo 1").click()
            await clerk.get_by_role("dialog").locator("img").wait_for()
            await clerk.keyboard.press("Escape")

            await clerk.get_by_role("button", name="Refuser").click()
            dialog = clerk.get_by_role("dialog")
            await dialog.get_by_label("Seulement certains médias").check()
            await dialog.get_by_label("Média 2").check()
            await dialog.get_by_label("Motif").first.click()
            await clerk.get_by_role("option", name="Image inexploitable : floue").click()
            await dialog.get_by_label("Commentaire pour le client").fill("Photo 2 floue.")
            await dialog.get_by_role("button", name="Refuser").click()
            await clerk.get_by_test_id("decision").get_by_text("Accepté en partie").wait_for()
            await jobs.run(skip=())
            await clerk.get_by_text("Télécharger l’attestation signée").wait_for()
            await accessible(clerk, "office-review-decided")

            # The tenant sees the attestation.
            archive = await gql(
                tenant,
                "{ deposits { edges { node { reference submission { status attestation { sha256 } } } } } }",
            )
            [mine] = [
                e["node"]
                for e in archive["deposits"]["edges"]
                if e["node"]["reference"] == deposit["reference"]
            ]
            assert mine["submission"]["status"] == "PARTIALLY_ACCEPTED"
            assert mine["submission"]["attestation"]["sha256"]

            # A clerk of another office never sees this one's queue, nor this review.
            stranger = await log_in_page(browser, url, other.clerk)
            await stranger.get_by_test_id("empty-state").wait_for()
            assert await stranger.get_by_text(deposit["reference"]).count() == 0
            await stranger.goto(clerk.url.replace(url, ""))
            await stranger.get_by_role("heading", name="Page introuvable").wait_for()

            # A PV ordered and paid by the tenant (API).
            ordered = await gql(
                tenant,
                "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { ... on ConstatOrderPayload { order { id } } ... on Error { message } } }",
                {
                    "i": {
                        "depositId": deposit["id"],
                        "requester": IDENTITY,
                        "expose": "Travaux voisins.",
                    }
                },
            )
            order_id = ordered["orderConstat"]["order"]["id"]
            paid = await gql(
                tenant,
                "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename } }",
                {"o": order_id},
            )
            assert paid["payConstatOrder"]["__typename"] == "ConstatPaymentStarted"

            # The clerk prepares it but cannot validate it.
            await clerk.get_by_role("tab", name="PV à valider").click()
            order = clerk.get_by_test_id("constat-order")
            await order.get_by_label("Exposé").fill("Travaux voisins : fissures au 2e étage.")
            await order.get_by_role("button", name="Enregistrer l’exposé").click()
            await clerk.get_by_text("Exposé enregistré.").wait_for()
            await order.get_by_test_id("commissaire-only").wait_for()
            assert await order.get_by_role("button", name="Valider et signer le PV").count() == 0
            await accessible(clerk, "office-constats-clerk")
            async with httpx.AsyncClient(base_url=url, timeout=30) as api:
                await log_in(api, office.clerk)
                refused = await gql(
                    api,
                    "mutation($o: ID!) { validateConstat(orderId: $o) { __typename } }",
                    {"o": order_id},
                )
            assert refused["validateConstat"]["__typename"] == "NotAllowed"

            # The commissaire validates and signs it.
            commissaire = await log_in_page(browser, url, office.commissaire)
            await commissaire.goto("/app/office/constats")
            order = commissaire.get_by_test_id("constat-order")
            await order.get_by_text("fissures au 2e étage").wait_for()
            # An office holds no credits and invites its clerks from its own settings.
            navigation = await commissaire.get_by_role("navigation").inner_text()
            assert "Membres" not in navigation and "Espace étude" in navigation
            assert await commissaire.get_by_test_id("balance").count() == 0
            await in_both_languages(commissaire, "office-constats-commissaire")
            await order.get_by_role("button", name="Valider et signer le PV").click()
            await (
                commissaire.get_by_role("dialog")
                .get_by_role("button", name="Valider et signer le PV")
                .click()
            )
            await commissaire.get_by_text("PV validé").wait_for()
            await jobs.run(skip=())
            # The commissaire's office settings: the directory entry, inviting a clerk.
            await commissaire.get_by_role("tab", name="Réglages de l'étude").click()
            await commissaire.get_by_label("Rayon d'intervention").fill("30")
            await commissaire.get_by_role("button", name="Enregistrer").click()
            await commissaire.get_by_text("Fiche enregistrée.").wait_for()
            await commissaire.get_by_label("Adresse e-mail du clerc").fill(unique_email("clerc"))
            await commissaire.get_by_role("button", name="Inviter").click()
            await commissaire.get_by_text("Invitation envoyée.").wait_for()
            await accessible(commissaire, "office-settings")

            # An on-site constat: asked (API), quoted by the clerk, accepted (API).
            asked = await gql(
                tenant,
                'mutation($o: ID!) { requestOnSiteConstat(officeId: $o, address: {street: "4 rue Mouffetard", postcode: "75005", city: "Paris"}, description: "État des lieux de sortie.") { ... on OnSiteRequestPayload { request { id } } } }',
                {"o": office.node_id},
            )
            request_id = asked["requestOnSiteConstat"]["request"]["id"]
            await clerk.get_by_role("tab", name="Constats sur place").click()
            card = clerk.get_by_test_id("onsite-request")
            await card.get_by_text("État des lieux de sortie.").wait_for()
            await card.get_by_label("Honoraires TTC").fill("320")
            on_site = (datetime.now() + timedelta(days=10)).strftime("%d/%m/%Y")
            await card.get_by_label("Date d’intervention au plus tôt").fill(on_site)
            await card.get_by_label("Heure (hh:mm)").fill("10:00")
            await check_page(clerk, "office-onsite-quote")
            await card.get_by_role("button", name="Envoyer le devis").click()
            await card.get_by_test_id("onsite-status").get_by_text("Devis envoyé").wait_for()
            answered = await gql(
                tenant,
                "mutation($r: ID!) { answerOnSiteQuote(requestId: $r, accept: true) { __typename } }",
                {"r": request_id},
            )
            assert answered["answerOnSiteQuote"]["__typename"] == "OnSiteRequestPayload"
            await clerk.reload()
            await card.get_by_test_id("onsite-status").get_by_text("Devis accepté").wait_for()
            await accessible(clerk, "office-onsite")

            assert clerk.script_errors == [] and commissaire.script_errors == []
            assert stranger.script_errors == []

        issued = await gql(
            tenant,
            "query($o: ID!) { node(id: $o) { ... on ConstatOrder { status validatedBy document { downloadUrl } } } }",
            {"o": order_id},
        )
        assert issued["node"]["status"] == "ISSUED"
        assert issued["node"]["validatedBy"] == "Commissaire Dupont"
        pv = await tenant.get(issued["node"]["document"]["downloadUrl"].removeprefix(url))
        assert pv.status_code == 200
        checked = await probant_verify(tenant, deposit["id"], pv.content, settings, tmp_path)
        assert checked.exit_code == 0, checked.output
        assert "the PDF is the PV de constat of Étude Lutèce" in checked.output
