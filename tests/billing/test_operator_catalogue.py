# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Operators edit the catalogue and set an organisation's own prices; nobody else can."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from strawberry.relay import to_base64
from tests.factories import LOG_IN, gql, log_in, make_organisation, unique_email

from probant_platform.billing.subscriptions import close_periods
from probant_platform.config import Settings
from probant_platform.db import Database
from probant_tenants.operators import prepare_operator, register_operators

UPDATE = "mutation($p: String!, $price: Int, $rollover: Boolean, $active: Boolean) { r: updateCatalogueProduct(productId: $p, priceTtcCents: $price, rollover: $rollover, active: $active) { __typename ... on CatalogueProduct { id price { ttcCents htCents vatCents } rollover active } ... on InvalidInput { field } } }"
OVERRIDE = "mutation($o: ID!, $p: String!, $price: Int) { r: setPriceOverride(organisationId: $o, productId: $p, priceTtcCents: $price) { __typename ... on CatalogueProduct { price { ttcCents } listPrice { ttcCents } } ... on InvalidInput { field } } }"
PACKS = "{ catalogue { packs { id price { ttcCents htCents vatCents } } plans { id rollover } } }"


def _client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]


@pytest.fixture
async def operator_app(
    settings: Settings, committed_database: Database, owner_url: str
) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    from probant_platform.web.app import create_app

    async with committed_database.unit_of_work() as session:
        user_id, password = await prepare_operator(
            session=session, email=unique_email("ops"), full_name="Ops"
        )
    register_operators(owner_url, [user_id])
    app = create_app(settings, database=committed_database, configure_logs=False)
    async with _client(app) as operator:
        async with committed_database.unit_of_work() as session:
            email = (
                await session.execute(text("SELECT email FROM users WHERE id = :u"), {"u": user_id})
            ).scalar_one()
        login = await gql(operator, LOG_IN, {"email": email, "password": password})
        operator.headers["x-probant-csrf"] = login["logIn"]["csrfToken"]
        yield app, operator
        # The catalogue is shared by every test: put it back as seeded.
        await gql(
            operator, UPDATE, {"p": "pack-6", "price": 5_640, "rollover": None, "active": True}
        )
        await gql(
            operator, UPDATE, {"p": "premium", "price": 39_900, "rollover": False, "active": True}
        )


async def test_operators_edit_prices_and_overrides_that_customers_then_pay(
    operator_app: tuple[object, httpx.AsyncClient], committed_database: Database
) -> None:
    app, operator = operator_app
    a = await make_organisation(committed_database)
    b = await make_organisation(committed_database)
    async with _client(app) as client_a, _client(app) as client_b:
        await log_in(client_a, a)
        await log_in(client_b, b)
        changed = await gql(operator, UPDATE, {"p": "pack-6", "price": 6_000})
        assert changed["r"]["price"] == {"ttcCents": 6_000, "htCents": 5_000, "vatCents": 1_000}
        override = await gql(
            operator,
            OVERRIDE,
            {"o": to_base64("Organisation", str(a.organisation_id)), "p": "pack-6", "price": 4_800},
        )
        assert override["r"] == {
            "__typename": "CatalogueProduct",
            "price": {"ttcCents": 4_800},
            "listPrice": {"ttcCents": 6_000},
        }
        pack6 = lambda data: next(p for p in data["catalogue"]["packs"] if p["id"] == "pack-6")  # noqa: E731
        assert pack6(await gql(client_a, PACKS))["price"] == {
            "ttcCents": 4_800,
            "htCents": 4_000,
            "vatCents": 800,
        }
        assert pack6(await gql(client_b, PACKS))["price"]["ttcCents"] == 6_000
        bought = await gql(
            client_a,
            'mutation { buyCredits(packId: "pack-6") { ... on CheckoutPayload { price { ttcCents } } } }',
        )
        assert bought["buyCredits"]["price"]["ttcCents"] == 4_800

        # Bad input gets typed errors; customers cannot touch the catalogue.
        assert (await gql(operator, UPDATE, {"p": "pack-6", "price": 0}))["r"][
            "field"
        ] == "priceTtcCents"
        assert (await gql(operator, UPDATE, {"p": "nope", "price": 100}))["r"][
            "field"
        ] == "productId"
        assert (await gql(client_a, UPDATE, {"p": "pack-6", "price": 1}))["r"][
            "__typename"
        ] == "NotAllowed"
        own = to_base64("Organisation", str(a.organisation_id))
        assert (await gql(client_a, OVERRIDE, {"o": own, "p": "pack-6", "price": 1}))["r"][
            "__typename"
        ] == "NotAllowed"

        # Off sale: gone from the catalogue and refused.
        await gql(operator, UPDATE, {"p": "pack-6", "active": False})
        assert all(p["id"] != "pack-6" for p in (await gql(client_b, PACKS))["catalogue"]["packs"])
        refused = await gql(client_b, 'mutation { buyCredits(packId: "pack-6") { __typename } }')
        assert refused["buyCredits"]["__typename"] == "InvalidInput"


async def test_a_rollover_plan_keeps_unused_credits_at_period_end(
    operator_app: tuple[object, httpx.AsyncClient], committed_database: Database
) -> None:
    app, operator = operator_app
    await gql(operator, UPDATE, {"p": "premium", "rollover": True})
    owner = await make_organisation(committed_database)
    async with _client(app) as client:
        await log_in(client, owner)
        await gql(client, 'mutation { subscribe(planId: "premium") { __typename } }')
        state = await gql(
            client, "{ creditBalance billingSubscription { rollover currentPeriodEnd } }"
        )
        assert state["billingSubscription"]["rollover"] is True
        end = datetime.fromisoformat(state["billingSubscription"]["currentPeriodEnd"])
        await close_periods(database=committed_database, now=end + timedelta(minutes=1))
        assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 120
