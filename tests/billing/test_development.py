# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The development provider end to end: plans, monthly allotments and expiry, receipts,
operators' catalogue and negotiated prices, and what another tenant can see of it all."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import httpx
from pypdf import PdfReader
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.billing import subscriptions
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.documents import pki
from probant_platform.documents.signing import validate_pdf_async
from probant_tenants.models import Organisation

SUBSCRIBE = """mutation($p: String!) { subscribe(planId: $p) { __typename ... on CheckoutPayload { provider completed label price { ttcCents } } ... on Error { message } } }"""
BUY = """mutation($p: String!) { buyCredits(packId: $p) { __typename ... on CheckoutPayload { completed price { ttcCents } } ... on Error { message } } }"""
RECEIPTS = "{ receipts { number description credits provider providerLabel receiptUrl price { ttcCents htCents vatCents } } }"
UPDATE = """mutation($id: String!, $price: Int, $rollover: Boolean) { updateCatalogueProduct(productId: $id, priceTtcCents: $price, rollover: $rollover) { __typename ... on SubscriptionPlan { id price { ttcCents } rollover } ... on CreditPack { id price { ttcCents } } ... on Error { message } } }"""
OVERRIDE = """mutation($org: ID!, $id: String!, $price: Int) { setPriceOverride(organisationId: $org, productId: $id, priceTtcCents: $price) { __typename ... on CreditPack { price { ttcCents } negotiated } ... on Error { message } } }"""


async def _seat_limit(database: Database, owner: MemberInfo) -> int | None:
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        organisation = await s.get(Organisation, owner.organisation_id)
        assert organisation is not None
        return organisation.seat_limit


async def test_a_development_subscription_allots_expires_and_renews_each_month(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    started = (await gql(client, SUBSCRIBE, {"p": "premium"}))["subscribe"]
    assert started == {
        "__typename": "CheckoutPayload",
        "provider": "development",
        "completed": True,
        "label": "development payment — no money moved",
        "price": {"ttcCents": 39_900},
    }
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 60
    assert await _seat_limit(database, owner) == 5
    current = (
        await gql(client, "{ subscription { planId status providerLabel currentPeriodEnd } }")
    )["subscription"]
    assert current["planId"] == "premium" and current["status"] == "ACTIVE"

    await fund(database, owner.organisation_id, 7)  # purchased credits never expire
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        sub = await subscriptions.current(session=s, organisation_id=owner.organisation_id)
        assert sub is not None
        end = sub.current_period_end
    # (The job sees every tenant's subscriptions: assert on this organisation's wallet only.)
    await subscriptions.run_period_ends(database=database, now=end - timedelta(seconds=1))
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 67  # not yet
    await subscriptions.run_period_ends(database=database, now=end + timedelta(seconds=1))
    await subscriptions.run_period_ends(database=database, now=end + timedelta(seconds=2))
    # 60 unused credits of the ended month expired; the new month brought 60; the 7 bought stay.
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 67
    kinds = await gql(client, "{ ledgerEntries { edges { node { kind amount } } } }")
    assert [e["node"] for e in kinds["ledgerEntries"]["edges"]][:2] == [
        {"kind": "ALLOTMENT", "amount": 60},
        {"kind": "EXPIRY", "amount": -60},
    ]


async def test_only_the_unused_rest_of_the_allotment_expires_never_bought_credits(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await log_in(client, owner)
    await gql(client, SUBSCRIBE, {"p": "premium"})
    await fund(database, owner.organisation_id, 7)  # bought (here: an adjustment)
    handed = await gql(
        client,
        'mutation($m: ID!) { transferCredits(memberId: $m, amount: 15, idempotencyKey: "t") '
        "{ __typename } }",
        {"m": str(colleague.membership_id)},
    )
    assert handed["transferCredits"]["__typename"] == "CreditsMoved"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 52
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        sub = await subscriptions.current(session=s, organisation_id=owner.organisation_id)
        assert sub is not None
        end = sub.current_period_end
    await subscriptions.run_period_ends(database=database, now=end + timedelta(seconds=1))
    # The 15 handed out came from the allotment: 45 of it expire, the 7 bought stay, +60 new.
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 7 + 60
    kinds = await gql(client, "{ ledgerEntries(kind: EXPIRY) { edges { node { amount } } } }")
    assert [e["node"]["amount"] for e in kinds["ledgerEntries"]["edges"]] == [-45]


async def test_a_rollover_plan_keeps_unused_credits(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, SUBSCRIBE, {"p": "business"})
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        sub = await subscriptions.current(session=s, organisation_id=owner.organisation_id)
        assert sub is not None
        end = sub.current_period_end
    await subscriptions.run_period_ends(database=database, now=end + timedelta(minutes=1))
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 360
    assert await _seat_limit(database, owner) == 20


async def test_every_purchase_has_a_receipt_with_ht_vat_and_ttc(
    database: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, BUY, {"p": "pack-6"})
    (receipt,) = (await gql(client, RECEIPTS))["receipts"]
    assert receipt["price"] == {"ttcCents": 5_640, "htCents": 4_700, "vatCents": 940}
    assert receipt["providerLabel"] == "development payment — no money moved"
    response = await client.get(receipt["receiptUrl"].removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("47,00 €", "9,40 €", "56,40 €", receipt["number"], "aucun argent"):
        assert expected in text.replace("\u202f", " ")
    # Signed like every PDF we issue: PAdES B-T with B-LT validation data, trusted.
    validation = await validate_pdf_async(response.content, pki.trust_roots(settings))
    assert validation.ok, validation.explain()
    [signature] = validation.signatures
    assert signature.signer_name == pki.platform_signer(settings).common_name
    assert signature.timestamped_at is not None and signature.long_term
    forged = (
        receipt["receiptUrl"]
        .removeprefix("http://127.0.0.1:8000")
        .replace("signature=", "signature=0")
    )
    assert (await client.get(forged)).status_code == 403


async def test_another_tenant_sees_nothing_of_a_plan_or_its_receipts(
    database: Database, client_factory: Any
) -> None:
    a, b = await make_organisation(database), await make_organisation(database)
    a_client, b_client = client_factory(), client_factory()
    await log_in(a_client, a)
    await log_in(b_client, b)
    await gql(a_client, SUBSCRIBE, {"p": "premium"})
    await gql(a_client, BUY, {"p": "pack-1"})
    assert (await gql(b_client, "{ subscription { planId } }"))["subscription"] is None
    assert (await gql(b_client, RECEIPTS))["receipts"] == []
    a_receipt = (await gql(a_client, RECEIPTS))["receipts"][0]["receiptUrl"]
    path = a_receipt.removeprefix("http://127.0.0.1:8000")
    swapped = path.replace(str(a.organisation_id), str(b.organisation_id))
    assert (await b_client.get(swapped)).status_code == 403
    collaborator = await add_member(database, a, role=Role.COLLABORATOR)
    c_client = client_factory()
    await log_in(c_client, collaborator)
    refused = (await c_client.post("/graphql", json={"query": RECEIPTS})).json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"


async def test_operators_edit_the_catalogue_and_negotiate_a_price_for_one_organisation(
    database: Database, client_factory: Any, operator: MemberInfo
) -> None:
    ops, customer_client, other_client = client_factory(), client_factory(), client_factory()
    customer, other = await make_organisation(database), await make_organisation(database)
    await log_in(ops, operator)
    await log_in(customer_client, customer)
    await log_in(other_client, other)
    assert (await gql(customer_client, UPDATE, {"id": "pack-6", "price": 100}))[
        "updateCatalogueProduct"
    ]["__typename"] == "NotAllowed"
    changed = await gql(ops, UPDATE, {"id": "premium", "price": 42_000, "rollover": True})
    assert changed["updateCatalogueProduct"] == {
        "__typename": "SubscriptionPlan",
        "id": "premium",
        "price": {"ttcCents": 42_000},
        "rollover": True,
    }
    refused = await gql(ops, UPDATE, {"id": "pack-6", "price": -5})
    assert refused["updateCatalogueProduct"]["__typename"] == "InvalidInput"

    org_id = (await gql(customer_client, "{ organisation { id } }"))["organisation"]["id"]
    negotiated = await gql(ops, OVERRIDE, {"org": org_id, "id": "pack-12", "price": 9_000})
    assert negotiated["setPriceOverride"] == {
        "__typename": "CreditPack",
        "price": {"ttcCents": 9_000},
        "negotiated": True,
    }
    bought = (await gql(customer_client, BUY, {"p": "pack-12"}))["buyCredits"]
    assert bought == {
        "__typename": "CheckoutPayload",
        "completed": True,
        "price": {"ttcCents": 9_000},
    }
    others = (
        await gql(other_client, "{ catalogue { packs { id price { ttcCents } negotiated } } }")
    )["catalogue"]["packs"]
    assert {"id": "pack-12", "price": {"ttcCents": 10_680}, "negotiated": False} in others
    assert (await gql(customer_client, OVERRIDE, {"org": org_id, "id": "pack-12", "price": 1}))[
        "setPriceOverride"
    ]["__typename"] == "NotAllowed"


async def test_a_plan_limits_seats(database: Database, client: httpx.AsyncClient) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    await gql(client, SUBSCRIBE, {"p": "premium"})
    invite = (
        """mutation($e: String!) { inviteMember(email: $e, role: COLLABORATOR) { __typename } }"""
    )
    results = [
        (await gql(client, invite, {"e": f"seat{i}-{owner.organisation_id.hex[:6]}@example.com"}))[
            "inviteMember"
        ]["__typename"]
        for i in range(5)
    ]
    # The owner and four invitees fill Premium's five seats.
    assert results == ["InvitationPayload"] * 4 + ["SeatLimitReached"]


async def test_a_plan_chooses_how_deposits_are_priced(
    database: Database, client_factory: Any, operator: MemberInfo
) -> None:
    ops, customer = client_factory(), client_factory()
    owner = await make_organisation(database)
    await log_in(ops, operator)
    await log_in(customer, owner)
    quote = "{ depositQuoteFor(photos: 3, videoSeconds: 20) { credits rule } }"
    assert (await gql(customer, quote))["depositQuoteFor"] == {"credits": 1, "rule": "PER_DEPOSIT"}
    change = """mutation($r: String) { updateCatalogueProduct(productId: "premium", pricingRule: $r) { __typename ... on SubscriptionPlan { pricingRule } } }"""
    assert (await gql(ops, change, {"r": "PER_ITEM"}))["updateCatalogueProduct"] == {
        "__typename": "SubscriptionPlan",
        "pricingRule": "PER_ITEM",
    }
    refused = (await gql(ops, change, {"r": "FREE"}))["updateCatalogueProduct"]
    assert refused["__typename"] == "InvalidInput"
    await gql(customer, SUBSCRIBE, {"p": "premium"})
    # 3 photos at 1 credit, 20 s of video: two started 15 s slices at 3 credits.
    assert (await gql(customer, quote))["depositQuoteFor"] == {"credits": 9, "rule": "PER_ITEM"}
