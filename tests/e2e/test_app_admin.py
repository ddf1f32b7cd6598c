# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The firm's administration pages in real Chromium against a real platform (issue 13).

An owner exports the archive and the ledger as CSV (the downloaded files are read), comes back
from a checkout to the app's return pages (paid, being confirmed, cancelled), creates an API
key whose secret is shown once (and works), asks an office for an on-site constat, accepts one
quote and declines another, then changes a member's role, removes a member and hands the
ownership over. Every page touched passes axe-core (with a notification showing, whose close
button must be named) and is photographed in French and English.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from pydantic import SecretStr
from tests.bailiffs.helpers import LYON, Office, choose_office, make_office, sealed_deposit
from tests.billing.fake_stripe import event, fake_stripe, sign
from tests.e2e.app_browser import (
    APP_DIST,
    SCREENSHOTS,
    app_browser,
    check_page,
    in_both_languages,
    new_page,
    serious_violations,
)
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import CHROMIUM, free_port
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.web.app import create_app

pytestmark = pytest.mark.e2e

QUOTE = "mutation($i: OnSiteQuoteInput!) { quoteOnSiteConstat(input: $i) { __typename ... on Error { message } } }"
REQUEST = 'mutation($o: ID!, $d: String!) { requestOnSiteConstat(officeId: $o, address: {street: "8 quai de Bercy", postcode: "75012", city: "Paris"}, description: $d) { ... on OnSiteRequestPayload { request { id } } } }'


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


async def _log_in_page(browser: Any, url: str, member: MemberInfo) -> Any:
    page = await new_page(browser, url)
    await page.goto("/app/login")
    await page.get_by_label("Adresse e-mail").fill(member.email)
    await page.get_by_label("Mot de passe").fill(member.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_role("heading", name="Tableau de bord").wait_for()
    return page


async def _with_notification(page: Any, text: str, name: str) -> None:
    """The notification is there, its close button named, and the page passes axe-core."""
    notification = page.locator(".mantine-Notification-root").filter(has_text=text)
    await notification.wait_for()
    await expect(notification.get_by_role("button", name="Fermer")).to_have_count(1)
    await expect(page.get_by_role("dialog")).to_have_count(0)  # a closing dialog fades out
    # The notification slides and fades in: axe measures colours once it is fully opaque.
    await page.wait_for_function(
        """(el) => { for (let n = el; n; n = n.parentElement) {
             if (getComputedStyle(n).opacity !== '1') return false; } return true; }""",
        arg=await notification.element_handle(),
    )
    violations = await serious_violations(page)
    assert violations == [], f"{name}: {violations}"


async def _download(page: Any, button: str) -> list[list[str]]:
    async with page.expect_download() as info:
        await page.get_by_role("button", name=button).click()
    download = await info.value
    raw = await asyncio.to_thread(Path(await download.path()).read_bytes)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


async def _archive_and_ledger_csv(page: Any, references: list[str]) -> str:
    await page.get_by_role("link", name="Archives").click()
    table = page.get_by_test_id("archive-table")
    # The current page's entry stays white on dark blue under the mouse (it turned pale).
    current = page.get_by_role("navigation").get_by_role("link", name="Archives")
    await current.hover()
    colours = await current.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    assert colours == ["rgb(38, 53, 143)", "rgb(255, 255, 255)"], colours
    await page.screenshot(path=str(SCREENSHOTS / "nav-hover.fr.png"))
    for reference in references:
        await table.get_by_text(reference).wait_for()
    rows = await _download(page, "Exporter en CSV")
    assert rows[0] == [
        "Référence",
        "Titre",
        "Statut",
        "Type",
        "Créé le (UTC)",
        "Scellé le (UTC)",
        "Ville",
        "Médias",
    ]
    exported = {row[0]: row for row in rows[1:]}
    assert set(exported) == set(references)  # this firm's deposits, all of them, no other
    for reference in references:
        assert exported[reference][2] == "Scellé"
        assert exported[reference][6] == "Paris"
        assert exported[reference][7] == "1"
        assert datetime.fromisoformat(exported[reference][5]).tzinfo is not None

    # A day typed the American way is refused, the French way filters (and lives in the URL).
    await page.get_by_label("Du", exact=True).fill("12/31/2026")
    await page.get_by_label("Du", exact=True).press("Tab")
    await page.get_by_text("Date attendue au format jj/mm/aaaa").wait_for()
    # Two days ahead: "tomorrow" by the machine's clock (UTC) is already today in Paris
    # between 23:00 and midnight UTC, and the archive counts days in Paris.
    future_day = (datetime.now() + timedelta(days=2)).strftime("%d/%m/%Y")
    await page.get_by_label("Du", exact=True).fill(future_day)
    await page.get_by_label("Du", exact=True).press("Tab")
    await page.get_by_text("Aucun dépôt ne correspond à ces filtres.").wait_for()
    assert "from=" in page.url
    assert await page.get_by_label("Du", exact=True).input_value() == future_day
    await in_both_languages(page, "archive-filtered")
    await page.get_by_role("button", name="Effacer les filtres").click()

    await page.get_by_role("link", name="Crédits et facturation").click()
    await page.get_by_test_id("ledger").get_by_text("test funding").first.wait_for()
    ledger = await _download(page, "Exporter en CSV")
    assert any("test funding" in ",".join(row) for row in ledger[1:]), ledger
    return rows[1][0]


async def _checkout_return_pages(page: Any, api: httpx.AsyncClient, url: str) -> None:
    catalogue = await gql(api, "{ catalogue { packs { id credits } } }")
    pack = max(catalogue["catalogue"]["packs"], key=lambda p: p["credits"])
    bought = await gql(
        api,
        "mutation($p: String!) { buyCredits(packId: $p) { __typename ... on CheckoutPayload { checkoutUrl completed } } }",
        {"p": pack["id"]},
    )
    # The development provider is paid at once; its return address is the one Stripe uses.
    checkout = bought["buyCredits"]
    assert checkout["completed"] is True
    purchase = checkout["checkoutUrl"].split("purchase=")[1]
    balance = (await gql(api, "{ creditBalance }"))["creditBalance"]

    # Stripe sends the buyer back to the platform, which hands over to the app.
    assert checkout["checkoutUrl"] == f"{url}/billing/completed?purchase={purchase}"
    await page.goto(checkout["checkoutUrl"])
    await page.wait_for_url(f"**/app/billing/completed?purchase={purchase}")
    await page.get_by_role("heading", name="Paiement reçu").wait_for()
    confirmed = page.get_by_test_id("checkout-confirmed")
    await expect(confirmed).to_contain_text(f"{pack['credits']} crédits ajoutés")
    await expect(page.get_by_test_id("return-balance")).to_have_text(f"{balance} crédits")
    await in_both_languages(page, "checkout-completed")

    # Not confirmed yet (the webhook has not landed): the page says so and keeps asking.
    await page.goto(f"/app/billing/completed?purchase={uuid.uuid4()}")
    await (
        page.get_by_test_id("checkout-pending").get_by_text("inutile de payer à nouveau").wait_for()
    )
    await check_page(page, "checkout-pending")

    await page.goto(f"/billing/cancelled?purchase={uuid.uuid4()}")
    await page.wait_for_url("**/app/billing/cancelled?**")
    await (
        page.get_by_test_id("checkout-cancelled")
        .get_by_text("aucun montant n’a été débité")
        .wait_for()
    )
    await expect(page.get_by_test_id("return-balance")).to_have_text(f"{balance} crédits")
    await in_both_languages(page, "checkout-cancelled")
    await page.get_by_role("link", name="Revenir aux packs de crédits").click()
    await page.get_by_role("heading", name="Packs de crédits").wait_for()


async def _api_key(page: Any, url: str) -> None:
    await page.get_by_role("link", name="Organisation").click()
    await page.get_by_label("Nom de la clé").fill("Intranet RH")
    await page.get_by_role("button", name="Créer une clé d’API").click()
    secret = (await page.get_by_test_id("api-secret").inner_text()).strip()
    assert secret.startswith("sk_")
    await page.get_by_text("Copiez ce secret maintenant").wait_for()
    await page.get_by_role("cell", name="Intranet RH").wait_for()
    await check_page(page, "organisation-api-key")
    # The secret works (the API looks past it to the widget key), a made-up one does not.
    async with httpx.AsyncClient(base_url=url, timeout=30) as partner:
        body = {"member_email": "x@example.com", "widget_key": "pk_unknown"}
        good = await partner.post(
            "/api/v1/capture-tokens", json=body, headers={"authorization": f"Bearer {secret}"}
        )
        bad = await partner.post(
            "/api/v1/capture-tokens", json=body, headers={"authorization": f"Bearer {secret}x"}
        )
    assert (good.status_code, bad.status_code) == (403, 401)
    # Shown once: gone after a reload, only its prefix stays.
    await page.reload()
    await page.get_by_role("cell", name="Intranet RH").wait_for()
    assert await page.get_by_test_id("api-secret").count() == 0
    assert secret not in await page.content()


async def _on_site(page: Any, office: Office, owner_api: httpx.AsyncClient, url: str) -> None:
    await page.get_by_role("link", name="Constat sur place").click()
    await page.get_by_role("heading", name="Constat sur place", exact=True).wait_for()
    await expect(page.get_by_test_id("onsite-office")).to_have_text(f"{office.name} (Lyon)")
    await check_page(page, "onsite-empty")
    await page.get_by_label("Ce qu’il faut constater").fill(
        "Dégât des eaux au plafond de la cuisine."
    )
    await page.get_by_label(re.compile(r"^Adresse")).fill("4 rue Mouffetard")
    await page.get_by_label("Code postal").fill("75005")
    await page.get_by_label(re.compile(r"^Ville")).fill("Paris")
    await page.get_by_label("Précisions sur l’adresse").fill("2e étage, code 1234B")
    # A day already past: the API's typed error is shown in the form.
    yesterday = (datetime.now() - timedelta(days=2)).strftime("%d/%m/%Y")
    await page.get_by_label("Date souhaitée 1").fill(yesterday)
    await page.get_by_label("Date souhaitée 1").press("Tab")
    await page.get_by_role("button", name="Envoyer la demande").click()
    await (
        page.get_by_test_id("onsite-error")
        .get_by_text("Les dates souhaitées doivent être aujourd’hui ou plus tard")
        .wait_for()
    )
    await check_page(page, "onsite-error")
    wished = [(datetime.now() + timedelta(days=n)).strftime("%d/%m/%Y") for n in (10, 12)]
    await page.get_by_label("Date souhaitée 1").fill(wished[0])
    await page.get_by_role("button", name="Ajouter une date").click()
    await page.get_by_label("Date souhaitée 2").fill(wished[1])
    await page.get_by_label("Date souhaitée 2").press("Tab")
    await page.get_by_role("button", name="Envoyer la demande").click()
    await _with_notification(page, "Demande envoyée à l’étude.", "onsite-sent")
    card = page.get_by_test_id("onsite-request").filter(has_text="Dégât des eaux")
    await card.get_by_text("Demandé", exact=True).wait_for()
    await card.get_by_text(f"Dates souhaitées : {wished[0]}, {wished[1]}").wait_for()
    assert await page.get_by_label("Ce qu’il faut constater").input_value() == ""

    # The clerk quotes it; a second request (made through the API) is quoted too.
    second = await gql(
        owner_api, REQUEST, {"o": office.node_id, "d": "Affichage d’un permis de construire."}
    )
    second_id = second["requestOnSiteConstat"]["request"]["id"]
    listed = await gql(
        owner_api, "{ onSiteRequests(first: 10) { edges { node { id description } } } }"
    )
    first_id = next(
        e["node"]["id"]
        for e in listed["onSiteRequests"]["edges"]
        if "Dégât" in e["node"]["description"]
    )
    now = datetime.now(UTC)
    async with httpx.AsyncClient(base_url=url, timeout=30) as clerk:
        await log_in(clerk, office.clerk)
        for request_id in (first_id, second_id):
            quoted = await gql(
                clerk,
                QUOTE,
                {
                    "i": {
                        "requestId": request_id,
                        "amountTtcCents": 32000,
                        "validUntil": (now + timedelta(days=7)).isoformat(),
                        "appointmentAt": (now + timedelta(days=10)).isoformat(),
                        "message": "Le commissaire viendra avec un confrère.",
                    }
                },
            )
            assert quoted["quoteOnSiteConstat"]["__typename"] == "OnSiteRequestPayload", quoted

    await page.reload()
    await card.get_by_test_id("onsite-quote").get_by_text("Devis : 320,00 € TTC").wait_for()
    await card.get_by_text("Le commissaire viendra avec un confrère.").wait_for()
    await in_both_languages(page, "onsite-quoted")
    await card.get_by_role("button", name="Accepter le devis").click()
    await _with_notification(page, "Devis accepté", "onsite-accepted")
    await card.get_by_text("Accepté", exact=True).wait_for()
    assert await card.get_by_role("button", name="Accepter le devis").count() == 0

    other = page.get_by_test_id("onsite-request").filter(has_text="permis de construire")
    await other.get_by_role("button", name="Refuser le devis").click()
    await page.get_by_role("dialog").get_by_role("button", name="Refuser le devis").click()
    await other.get_by_text("Devis refusé", exact=True).wait_for()
    # Answered once: a second answer is refused by the API with its reason.
    again = await gql(
        owner_api,
        "mutation($r: ID!) { answerOnSiteQuote(requestId: $r, accept: true) { __typename } }",
        {"r": second_id},
    )
    assert again["answerOnSiteQuote"]["__typename"] == "InvalidState"
    await check_page(page, "onsite-answered")
    await page.set_viewport_size({"width": 390, "height": 844})  # a phone
    await card.get_by_text("Accepté", exact=True).wait_for()
    await check_page(page, "onsite-phone")
    await page.set_viewport_size({"width": 1200, "height": 900})


async def _members(
    page: Any,
    collaborator: MemberInfo,
    client: MemberInfo,
    successor: MemberInfo,
    owner: MemberInfo,
) -> None:
    await page.get_by_role("link", name="Membres").click()
    await page.get_by_role("heading", name="Inviter un membre").wait_for()

    # Role change: the collaborator becomes an administrator.
    row = page.locator(f"tr[data-email='{collaborator.email}']")
    await row.get_by_role("combobox", name="Rôle de Collaborator Dupont").click()
    await page.get_by_role("option", name="Administrateur").click()
    await _with_notification(page, "Rôle modifié.", "members-role")
    await page.reload()
    await expect(row.get_by_role("combobox", name="Rôle de Collaborator Dupont")).to_have_value(
        "Administrateur"
    )

    # Removal, after confirmation.
    row = page.locator(f"tr[data-email='{client.email}']")
    await row.get_by_role("button", name="Retirer").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("perd l’accès tout de suite").wait_for()
    await check_page(page, "members-remove")
    await dialog.get_by_role("button", name="Retirer").click()
    await _with_notification(page, "Membre retiré.", "members-removed")
    await expect(
        page.locator(f"tr[data-email='{client.email}']").get_by_role("button", name="Retirer")
    ).to_have_count(0)
    async with httpx.AsyncClient(base_url=page.url.split("/app/")[0], timeout=30) as removed:
        refused = await gql(
            removed,
            "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { __typename } }",
            {"e": client.email, "p": client.password},
        )
    assert refused["logIn"]["__typename"] != "LogInPayload"

    # Ownership handed over: the successor is the owner, the viewer an administrator.
    row = page.locator(f"tr[data-email='{successor.email}']")
    await row.get_by_role("button", name="Céder la propriété").click()
    await page.get_by_role("dialog").get_by_text("devient propriétaire").wait_for()
    await page.get_by_role("dialog").get_by_role("button", name="Céder la propriété").click()
    await page.get_by_text("Propriété cédée.").wait_for()
    await row.get_by_text("Propriétaire", exact=True).wait_for()
    await (
        page.locator(f"tr[data-email='{owner.email}']")
        .get_by_text("Administrateur", exact=True)
        .wait_for()
    )
    await expect(page.get_by_role("button", name="Céder la propriété")).to_have_count(0)
    await in_both_languages(page, "members-after")


async def test_an_owner_administers_the_firm(
    live: tuple[str, Settings], committed_database: Database
) -> None:
    url, _settings = live
    owner = await make_organisation(committed_database, name="Cabinet Vauban")
    collaborator = await add_member(committed_database, owner, role=Role.COLLABORATOR)
    client = await add_member(committed_database, owner, role=Role.CLIENT)
    successor = await add_member(committed_database, owner, role=Role.ADMIN)
    await fund(committed_database, owner.organisation_id, 20)
    # Far from Paris: other tests' "nearest office" stays theirs (the firm names its office).
    office = await make_office(
        committed_database, name="Étude Vauban", city="Lyon", postcode="69002", at=LYON
    )

    async with httpx.AsyncClient(base_url=url, timeout=60) as api, app_browser() as browser:
        await log_in(api, owner)
        await choose_office(api, office.node_id)
        references = [str((await sealed_deposit(api))["reference"]) for _ in range(2)]

        page = await _log_in_page(browser, url, owner)
        await _archive_and_ledger_csv(page, references)
        await _checkout_return_pages(page, api, url)
        await _api_key(page, url)
        await _on_site(page, office, api, url)
        await _members(page, collaborator, client, successor, owner)
        assert page.script_errors == []


async def test_a_stripe_checkout_comes_back_to_the_app(
    settings: Settings, committed_database: Database
) -> None:
    """Through a local Stripe stand-in: the buyer leaves for Stripe's hosted page, comes back
    before the webhook (the page says the payment is being confirmed), and sees the credits and
    the new balance appear once Stripe's signed webhook lands, without reloading."""
    secret = "whsec_app_return"
    with fake_stripe() as (stripe, stripe_origin):
        port = free_port()
        live = settings.model_copy(
            update={
                "base_url": f"http://127.0.0.1:{port}",
                "stripe_secret_key": SecretStr("sk_test_probant"),
                "stripe_webhook_secret": SecretStr(secret),
                "stripe_api_base": stripe_origin,
            }
        )
        owner = await make_organisation(committed_database, name="Cabinet Colbert")
        with serve(create_app(live, configure_logs=False), port) as url:
            async with app_browser() as browser:
                page = await _log_in_page(browser, url, owner)
                hosted: list[str] = []

                async def stripe_checkout(route: Any) -> None:  # Stripe's hosted page
                    hosted.append(route.request.url)
                    await route.fulfill(
                        status=200,
                        content_type="text/html",
                        body="<!doctype html><html lang=en><title>Checkout</title><h1>Stripe</h1>",
                    )

                await page.route("https://checkout.stripe.test/**", stripe_checkout)
                await page.get_by_role("link", name="Crédits et facturation").click()
                await page.get_by_role("button", name="Acheter").first.click()
                try:
                    await page.wait_for_url("https://checkout.stripe.test/**")
                except Exception as left_on_the_page:  # say what the buyer saw instead
                    seen = await page.locator("body").inner_text()
                    raise AssertionError(f"no Stripe checkout; the page shows: {seen}") from (
                        left_on_the_page
                    )
                session = stripe.sessions[hosted[0].rsplit("/", 1)[1]]
                [created] = [f for _, path, f in stripe.requests if path == "/v1/checkout/sessions"]
                assert created["cancel_url"].startswith(f"{url}/billing/cancelled?purchase=")

                # Back before the webhook: being confirmed, nothing credited yet.
                await page.goto(created["success_url"])
                await page.wait_for_url("**/app/billing/completed?purchase=*")
                await page.get_by_test_id("checkout-pending").wait_for()
                await expect(page.get_by_test_id("return-balance")).to_have_text("0 crédit")

                payload = event(
                    f"evt_{uuid.uuid4().hex}",
                    "checkout.session.completed",
                    {**session, "payment_status": "paid", "status": "complete"},
                )
                async with httpx.AsyncClient(base_url=url, timeout=30) as stripe_webhook:
                    delivered = await stripe_webhook.post(
                        "/webhooks/stripe",
                        content=payload,
                        headers={
                            "content-type": "application/json",
                            "stripe-signature": sign(payload, secret),
                        },
                    )
                assert delivered.json()["outcome"] == "applied", delivered.text

                # The page was still asking: the purchase and the balance appear by themselves.
                confirmed = page.get_by_test_id("checkout-confirmed")
                await confirmed.get_by_text(re.compile(r"crédits? ajoutés?")).wait_for(
                    timeout=15000
                )
                await expect(page.get_by_test_id("checkout-pending")).to_have_count(0)
                await expect(page.get_by_test_id("return-balance")).not_to_have_text("0 crédit")
                balance = await page.get_by_test_id("return-balance").inner_text()
                await expect(page.get_by_test_id("balance")).to_contain_text(balance)  # header
                await check_page(page, "checkout-stripe")
                assert page.script_errors == []
