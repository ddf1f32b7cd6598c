"""The operator console in Chromium against the real platform: the operator finds an
organisation, credits it with a written reason and finds the adjustment in the platform audit
log; onboards an office a member proposed, whose clerk activates from the email and finds an
empty queue. Every page passes axe-core in French and English (screenshots for docs/app.md)."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from tests.bailiffs.helpers import Jobs
from tests.e2e.app_browser import app_browser, in_both_languages, new_page, outbox_link
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import free_port
from tests.factories import Role, add_member, gql, log_in, make_organisation, unique_email
from tests.integrity.helpers import synthetic_leaves
from tests.integrity.proof_world import close_and_anchor

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app
from probant_tenants.models import OrganisationKind
from probant_tenants.operators import register_operators

pytestmark = pytest.mark.e2e
PASSWORD = "Constat-Solide-2026!"
PROPOSE = 'mutation { proposeBailiffOffice(name: "Étude Lenoir", city: "Rennes") { __typename } }'
REASON = "Geste commercial : dépôts refusés le 3 décembre"


async def test_the_operator_credits_with_a_reason_audits_it_and_onboards_a_proposed_office(
    settings: Settings, committed_database: Database, owner_url: str
) -> None:
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    build_runtime(settings, committed_database)
    jobs = await Jobs.watch(committed_database)
    platform = await make_organisation(
        committed_database, kind=OrganisationKind.PLATFORM, email=unique_email("platform")
    )
    operator = await add_member(
        committed_database, platform, role=Role.OPERATOR, email=unique_email("ops")
    )
    register_operators(owner_url, [operator.user_id])
    customer_name = f"Cabinet Lumière {secrets.token_hex(2).upper()}"
    customer = await make_organisation(committed_database, name=customer_name)
    clerk_email = unique_email("clerc")
    await synthetic_leaves(committed_database, 3)  # sealed items, batched and anchored
    anchored = await close_and_anchor(committed_database, settings)

    with serve(create_app(settings, configure_logs=False), port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as tenant:
            await log_in(tenant, customer)
            proposed = await gql(tenant, PROPOSE)
        assert proposed["proposeBailiffOffice"]["__typename"] == "OfficeProposed"

        async with app_browser() as browser:
            page = await new_page(browser, url)
            await page.goto("/app/login")
            await page.get_by_label("Adresse e-mail").fill(operator.email)
            await page.get_by_label("Mot de passe").fill(operator.password)
            await page.get_by_role("button", name="Se connecter").click()
            await page.wait_for_url(lambda address: "/login" not in address)
            await page.get_by_role("link", name="Console opérateur").click()
            await page.get_by_role("heading", name="Organisations").wait_for()

            # Find the customer and credit it: a reason is required.
            await page.get_by_role("textbox", name="Recherche").fill(customer_name)
            await page.get_by_role("button", name="Rechercher").click()
            await page.get_by_role("link", name=customer_name).wait_for()
            await page.mouse.move(700, 850)
            await in_both_languages(page, "operator-organisations")
            await page.get_by_role("link", name=customer_name).click()
            await page.get_by_role("heading", name=customer_name).wait_for()
            await page.get_by_label("Crédits à ajouter").fill("25")
            await page.get_by_label("Motif écrit").fill("   ")
            await page.get_by_role("button", name="Créditer").click()
            await page.get_by_text("Écrivez le motif de cet ajustement.").wait_for()
            assert await page.get_by_test_id("organisation-balance").inner_text() == "0 crédit"
            await page.get_by_label("Motif écrit").fill(REASON)
            await page.get_by_role("button", name="Créditer").click()
            await page.get_by_text("Crédits ajoutés.").wait_for()
            await page.get_by_test_id("organisation-balance").get_by_text("25 crédits").wait_for()
            await page.wait_for_timeout(4500)  # the notification fades
            await in_both_languages(page, "operator-organisation")

            # The adjustment, its author and its reason in the platform audit log.
            await page.get_by_role("tab", name="Journal d'audit").click()
            await page.get_by_role("heading", name="Journal d'audit de la plateforme").wait_for()
            row = (
                page.get_by_role("row")
                .filter(has_text=customer_name)
                .filter(has_text="Crédits ajustés")
            )
            await row.wait_for()
            text = await row.inner_text()
            assert f"Motif : {REASON}" in text and "25 crédits" in text
            assert operator.email in text
            await in_both_languages(page, "operator-audit")

            for tab, heading, name in (
                ("Catalogue", "Catalogue", "operator-catalogue"),
                ("Ancrage", "Ancrage sur la blockchain", "operator-anchoring"),
            ):
                await page.get_by_role("tab", name=tab).click()
                await page.get_by_role("heading", name=heading, exact=True).wait_for()
                await in_both_languages(page, name)
            batch = (
                page.get_by_test_id("batches-table")
                .get_by_role("row")
                .filter(has_text=f"n° {anchored[-1].sequence}")
            )
            assert "Confirmée" in await batch.inner_text()

            # The proposed office, onboarded from its proposal.
            await page.get_by_role("tab", name="Études proposées").click()
            await page.get_by_role("heading", name="Études proposées").wait_for()
            proposal = page.get_by_role("row").filter(has_text=customer_name).first
            await proposal.wait_for()
            assert "Étude Lenoir" in await proposal.inner_text()
            await in_both_languages(page, "operator-proposals")
            await proposal.get_by_role("link", name="Ajouter Étude Lenoir").click()
            await page.get_by_role("heading", name="Ajouter une étude", exact=True).wait_for()
            assert await page.get_by_label("Nom de l’étude").input_value() == "Étude Lenoir"
            assert await page.get_by_label("Ville").input_value() == "Rennes"
            await page.get_by_label(re.compile(r"^Adresse")).fill("4 rue de la Monnaie")
            await page.get_by_label("Code postal").fill("35000")
            await page.get_by_label("E-mail du clerc").fill(clerk_email)
            await page.get_by_role("button", name="Créer l’étude et inviter le clerc").click()
            created = page.get_by_test_id("office-created")
            await created.wait_for()
            assert clerk_email in await created.inner_text()
            await page.wait_for_timeout(300)
            await in_both_languages(page, "operator-onboard")
            assert page.script_errors == []

        await jobs.run()

        async with app_browser() as browser:
            page = await new_page(browser, url)
            await page.goto(outbox_link(settings, clerk_email, "/app/activate"))
            await page.get_by_label("Nom et prénom").fill("Yves Lenoir")
            await page.get_by_label("Mot de passe").fill(PASSWORD)
            await page.get_by_label("J'accepte les conditions").check()
            await page.get_by_role("button", name="Activer mon compte").click()
            await page.wait_for_url(lambda address: "/activate" not in address)
            await page.get_by_role("link", name="Espace étude").click()
            await page.get_by_role("heading", name="File de revue").wait_for()
            await page.get_by_test_id("empty-state").wait_for()
            navigation = await page.get_by_role("navigation").inner_text()
            assert "Console opérateur" not in navigation
            # The office's settings: its entry from onboarding and its clerk, active.
            await page.get_by_role("tab", name="Réglages de l'étude").click()
            members = page.get_by_test_id("office-members")
            await members.get_by_text(clerk_email).wait_for()
            assert "Actif" in await members.inner_text()
            await page.mouse.move(700, 850)
            await in_both_languages(page, "office-settings-new-clerk")
            assert page.script_errors == []
