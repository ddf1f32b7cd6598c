"""An office onboarded by an operator (through the API: the operator console is not built
yet): its clerk activates from the invitation email and finds an empty review queue."""

from __future__ import annotations

import httpx
import pytest
from tests.bailiffs.helpers import Jobs
from tests.e2e.app_browser import app_browser, in_both_languages, new_page, outbox_link
from tests.e2e.live import serve
from tests.e2e.widget_stand_in import free_port
from tests.factories import Role, add_member, gql, log_in, make_organisation, unique_email

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.runtime import build_runtime
from probant_platform.web.app import create_app
from probant_tenants.models import OrganisationKind
from probant_tenants.operators import register_operators

pytestmark = pytest.mark.e2e
PASSWORD = "Constat-Solide-2026!"
CREATE = "mutation($i: BailiffOfficeInput!) { createBailiffOffice(input: $i) { __typename ... on BailiffOfficeCreated { clerkInvited } ... on Error { message } } }"  # noqa: E501


async def test_an_onboarded_office_clerk_activates_and_sees_an_empty_queue(
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
    clerk_email = unique_email("clerc")

    with serve(create_app(settings, configure_logs=False), port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as ops:
            await log_in(ops, operator)
            created = await gql(
                ops,
                CREATE,
                {
                    "i": {
                        "name": "Étude Garonne",
                        "street": "3 place du Capitole",
                        "postcode": "31000",
                        "city": "Toulouse",
                        "clerkEmail": clerk_email,
                    }
                },
            )
        assert created["createBailiffOffice"]["__typename"] == "BailiffOfficeCreated", created
        await jobs.run()

        async with app_browser() as browser:
            page = await new_page(browser, url)
            await page.goto(outbox_link(settings, clerk_email, "/app/activate"))
            await page.get_by_label("Nom et prénom").fill("Léa Garonne")
            await page.get_by_label("Mot de passe").fill(PASSWORD)
            await page.get_by_label("J'accepte les conditions").check()
            await page.get_by_role("button", name="Activer mon compte").click()
            await page.wait_for_url(lambda address: "/activate" not in address)
            await page.get_by_role("link", name="Espace étude").click()
            await page.get_by_role("heading", name="File de revue").wait_for()
            await page.get_by_test_id("empty-state").wait_for()
            await page.mouse.move(700, 700)  # not hovering the navigation while axe looks
            await in_both_languages(page, "office-queue-empty")
            navigation = await page.get_by_role("navigation").inner_text()
            assert "Nouveau dépôt" not in navigation and "Console opérateur" not in navigation
            assert page.script_errors == []
