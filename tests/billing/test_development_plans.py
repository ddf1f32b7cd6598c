# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The development provider end to end: plans, seats, monthly allotments, expiry, receipts."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import httpx
from pypdf import PdfReader
from tests.factories import Role, add_member, gql, log_in, make_organisation

from probant_platform.billing import products
from probant_platform.billing.catalogue import PACKS, PLANS
from probant_platform.billing.models import ProductKind
from probant_platform.billing.subscriptions import close_periods
from probant_platform.db import Database

SUBSCRIBE = "mutation($p: String!) { subscribe(planId: $p) { __typename ... on CheckoutPayload { provider completed label price { ttcCents htCents vatCents } } ... on Error { message } } }"
STATE = "{ creditBalance billingSubscription { planId status provider label seats monthlyCredits rollover currentPeriodStart currentPeriodEnd } }"
INVITE = "mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) { __typename } }"
LEDGER = "{ ledgerEntries { edges { node { kind amount } } } }"


async def test_a_development_subscription_allots_seats_and_credits_and_renews_with_expiry(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, owner)
    started = (await gql(client, SUBSCRIBE, {"p": "premium"}))["subscribe"]
    assert started == {
        "__typename": "CheckoutPayload",
        "provider": "development",
        "completed": True,
        "label": "development payment — no money moved",
        "price": {"ttcCents": 39_900, "htCents": 33_250, "vatCents": 6_650},
    }
    state = await gql(client, STATE)
    plan = state["billingSubscription"]
    assert state["creditBalance"] == 60
    assert (plan["planId"], plan["status"], plan["provider"], plan["seats"]) == (
        "premium",
        "active",
        "development",
        5,
    )
    assert plan["label"] == "development payment — no money moved"

    # Bought credits never expire; what the organisation spent or handed out came from the allotment.
    await gql(client, 'mutation { buyCredits(packId: "pack-6") { __typename } }')
    moved = await gql(
        client,
        'mutation($m: ID!) { transferCredits(memberId: $m, amount: 15, idempotencyKey: "t1") { __typename } }',
        {"m": str(colleague.membership_id)},
    )
    assert moved["transferCredits"]["__typename"] == "CreditsMoved"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 51

    end = plan["currentPeriodEnd"]
    period_end = datetime.fromisoformat(end)
    await close_periods(database=database, now=period_end - timedelta(minutes=1))
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 51  # not yet
    await close_periods(database=database, now=period_end + timedelta(minutes=1))
    state = await gql(client, STATE)
    assert state["creditBalance"] == 6 + 60  # 45 unused allotted credits expired; a new month
    assert state["billingSubscription"]["currentPeriodStart"] == end
    kinds = [e["node"] for e in (await gql(client, LEDGER))["ledgerEntries"]["edges"]]
    assert {"kind": "EXPIRY", "amount": -45} in kinds
    assert [k["kind"] for k in kinds].count("ALLOTMENT") == 2
    # Running it again changes nothing.
    await close_periods(database=database, now=period_end + timedelta(minutes=2))
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 66


async def test_the_plan_sets_the_seat_limit(database: Database, client: httpx.AsyncClient) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, SUBSCRIBE, {"p": "premium"})
    for index in range(4):  # the owner plus four members fill Premium's five seats
        invited = await gql(
            client, INVITE, {"e": f"seat{index}-{owner.organisation_id.hex[:8]}@example.fr"}
        )
        assert invited["inviteMember"]["__typename"] != "SeatLimitReached", index
    refused = await gql(client, INVITE, {"e": f"sixth-{owner.organisation_id.hex[:8]}@example.fr"})
    assert refused["inviteMember"]["__typename"] == "SeatLimitReached"
    await gql(client, SUBSCRIBE, {"p": "business"})
    assert (await gql(client, STATE))["billingSubscription"]["seats"] == 20
    allowed = await gql(client, INVITE, {"e": f"sixth-{owner.organisation_id.hex[:8]}@example.fr"})
    assert allowed["inviteMember"]["__typename"] != "SeatLimitReached"


async def test_a_development_purchase_has_a_pdf_receipt_with_ht_vat_and_ttc(
    database: Database, client: httpx.AsyncClient, client_factory: object
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, 'mutation { buyCredits(packId: "pack-12") { __typename } }')
    listed = await gql(
        client,
        "{ purchases { edges { node { description status provider label invoiceUrl receiptUrl credits price { ttcCents htCents vatCents } } } } }",
    )
    purchase = listed["purchases"]["edges"][0]["node"]
    assert (
        purchase["status"] == "PAID"
        and purchase["provider"] == "development"
        and purchase["credits"] == 12
    )
    assert purchase["price"] == {"ttcCents": 10_680, "htCents": 8_900, "vatCents": 1_780}
    assert purchase["invoiceUrl"] is None
    link = purchase["receiptUrl"].removeprefix("http://127.0.0.1:8000")
    stranger = client_factory()  # type: ignore[operator]
    response = await stranger.get(link)  # the signed link is the permission
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "development payment — no money moved" in text
    assert "Reçu" in text and "89,00 €" in text and "17,80 €" in text and "106,80 €" in text
    english = await stranger.get(link + "&lang=en")
    assert "€106.80" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(english.content)).pages
    )
    forged = link.replace("signature=", "signature=0")
    assert (await stranger.get(forged)).status_code == 403
    other = link.replace(str(owner.organisation_id), str(owner.user_id))
    assert (await stranger.get(other)).status_code == 403


async def test_clients_cannot_subscribe_and_see_no_purchases(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    sub = await add_member(database, owner, role=Role.CLIENT)
    client = client_factory()  # type: ignore[operator]
    await log_in(client, sub)
    assert (await gql(client, SUBSCRIBE, {"p": "premium"}))["subscribe"][
        "__typename"
    ] == "NotAllowed"
    moved = await gql(
        client,
        'mutation($m: ID!) { transferCredits(memberId: $m, amount: 1, idempotencyKey: "k") { __typename } }',
        {"m": str(sub.membership_id)},
    )
    assert moved["transferCredits"]["__typename"] == "NotAllowed"


async def test_the_pages_payers_come_back_to_say_what_happened(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    bought = await gql(
        client,
        'mutation { buyCredits(packId: "pack-1") { ... on CheckoutPayload { checkoutUrl } } }',
    )
    page = await client.get(
        bought["buyCredits"]["checkoutUrl"].removeprefix("http://127.0.0.1:8000")
    )
    assert page.status_code == 200
    assert "Paiement reçu" in page.text and "development payment — no money moved" in page.text
    portal = await gql(
        client, "mutation { billingPortalUrl { ... on BillingPortal { url label } } }"
    )
    assert portal["billingPortalUrl"]["label"] == "development payment — no money moved"
    shown = await client.get(
        portal["billingPortalUrl"]["url"].removeprefix("http://127.0.0.1:8000")
    )
    assert "aucun portail" in shown.text
    assert (await client.get("/billing/anything")).status_code == 404


async def test_unknown_plans_are_refused(database: Database, client: httpx.AsyncClient) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    refused = await gql(
        client,
        'mutation { subscribe(planId: "pack-6") { __typename ... on InvalidInput { field } } }',
    )
    assert refused["subscribe"] == {"__typename": "InvalidInput", "field": "planId"}
    assert (await gql(client, STATE))["billingSubscription"] is None


async def test_the_stored_catalogue_is_seeded_from_the_product_rules(database: Database) -> None:
    async with database.unit_of_work() as session:
        stored = await products.products(session=session, organisation_id=None)
    assert [(p.id, p.credits, p.price_ttc_cents) for p in stored if p.kind is ProductKind.PACK] == [
        (p.id, p.credits, p.price_ttc_cents) for p in PACKS
    ]
    assert [
        (p.id, p.name, p.credits, p.seats, p.price_ttc_cents, p.rollover)
        for p in stored
        if p.kind is ProductKind.PLAN
    ] == [(p.id, p.name, p.monthly_credits, p.seats, p.price_ttc_cents, p.rollover) for p in PLANS]
