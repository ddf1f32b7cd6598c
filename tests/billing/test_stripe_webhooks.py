# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Stripe: Checkout for packs and plans, and webhooks applied exactly once in any order."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import func, select, text
from tests.billing.fake_stripe import FakeStripe, event, invoice, sign, subscription
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation

from probant_platform.billing.models import StripeEvent
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope

Factory = Callable[[], httpx.AsyncClient]
BUY = 'mutation { buyCredits(packId: "pack-6") { __typename ... on CheckoutPayload { checkoutUrl provider completed label price { ttcCents htCents vatCents } } ... on Error { message } } }'
SUBSCRIBE = 'mutation { subscribe(planId: "premium") { __typename ... on CheckoutPayload { checkoutUrl provider completed } ... on Error { message } } }'
STATE = "{ creditBalance billingSubscription { planId status seats provider currentPeriodEnd } }"
DAY = 86_400


async def deliver(
    client: httpx.AsyncClient, payload: str, signature: str | None = "sign"
) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if signature == "sign":
        headers["stripe-signature"] = sign(payload)
    elif signature is not None:
        headers["stripe-signature"] = signature
    return await client.post("/webhooks/stripe", content=payload, headers=headers)


async def owner_client(
    database: Database, factory: Factory
) -> tuple[MemberInfo, httpx.AsyncClient]:
    owner = await make_organisation(database)
    client = factory()
    await log_in(client, owner)
    return owner, client


def completed_checkout(fake: FakeStripe, *, invoice_id: str | None = None) -> dict[str, Any]:
    (session,) = fake.checkout_sessions.values()
    return {
        **session,
        "status": "complete",
        "payment_status": "paid",
        "invoice": invoice_id,
        "payment_intent": "pi_test_1",
    }


async def events_stored(database: Database, organisation_id: uuid.UUID) -> int:
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        return int((await s.execute(select(func.count()).select_from(StripeEvent))).scalar_one())


async def seat_limit(database: Database, organisation_id: uuid.UUID) -> int | None:
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        found = await s.execute(
            text("SELECT seat_limit FROM organisations WHERE id = :i"), {"i": organisation_id}
        )
        return found.scalar_one()


async def test_a_pack_is_bought_through_checkout_and_credited_once_by_the_webhook(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    owner, client = await owner_client(database, stripe_client_factory)
    bought = (await gql(client, BUY))["buyCredits"]
    assert (
        bought["provider"] == "stripe" and bought["completed"] is False and bought["label"] is None
    )
    assert bought["checkoutUrl"].startswith("https://checkout.stripe.test/c/pay/cs_")
    assert bought["price"] == {"ttcCents": 5_640, "htCents": 4_700, "vatCents": 940}
    (checkout,) = fake_stripe.checkout_sessions.values()
    assert checkout["mode"] == "payment"
    assert checkout["metadata"]["organisation_id"] == str(owner.organisation_id)
    assert (
        checkout["metadata"]["purpose"] == "credits" and checkout["metadata"]["product"] == "pack-6"
    )
    assert checkout["line_items"][0]["price_data"]["unit_amount"] == "5640"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 0  # nothing until paid

    fake_stripe.invoices["in_pack"] = {
        "id": "in_pack",
        "object": "invoice",
        "hosted_invoice_url": "https://invoice.stripe.test/i/in_pack",
    }
    payload = event(
        "evt_pack_1",
        "checkout.session.completed",
        completed_checkout(fake_stripe, invoice_id="in_pack"),
    )
    first = await deliver(client, payload)
    assert first.status_code == 200 and first.json()["outcome"] == "applied"
    replay = await deliver(client, payload)
    assert replay.status_code == 200 and replay.json()["outcome"] == "replayed"
    again = event(
        "evt_pack_2", "checkout.session.async_payment_succeeded", completed_checkout(fake_stripe)
    )
    assert (await deliver(client, again)).status_code == 200

    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 6
    history = await gql(client, "{ ledgerEntries { edges { node { kind amount } } } }")
    assert [e["node"] for e in history["ledgerEntries"]["edges"]] == [
        {"kind": "PURCHASE", "amount": 6}
    ]
    receipts = await gql(
        client,
        "{ purchases { edges { node { status provider invoiceUrl receiptUrl price { ttcCents htCents vatCents } } } } }",
    )
    assert receipts["purchases"]["edges"][0]["node"] == {
        "status": "PAID",
        "provider": "stripe",
        "invoiceUrl": "https://invoice.stripe.test/i/in_pack",
        "receiptUrl": None,
        "price": {"ttcCents": 5_640, "htCents": 4_700, "vatCents": 940},
    }
    # One Stripe customer per organisation, created once.
    await gql(client, BUY)
    assert len(fake_stripe.customers) == 1


async def test_bad_or_missing_signatures_are_refused_and_change_nothing(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    owner, client = await owner_client(database, stripe_client_factory)
    await gql(client, BUY)
    payload = event("evt_forged", "checkout.session.completed", completed_checkout(fake_stripe))
    now = int(time.time())
    forged = [
        None,
        "",
        "t=123,v1=deadbeef",
        sign(payload, secret="whsec_someone_else"),
        sign(payload, timestamp=now - 301),  # outside the 300 s tolerance
        sign(payload.replace("paid", "paid "), timestamp=now),  # signature of another body
    ]
    for signature in forged:
        response = await deliver(client, payload, signature=signature)
        assert response.status_code == 400, signature
    tampered = await client.post(
        "/webhooks/stripe",
        content=payload.replace('"pack-6"', '"pack-30"'),
        headers={"stripe-signature": sign(payload)},
    )
    assert tampered.status_code == 400
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 0
    assert await events_stored(database, owner.organisation_id) == 0


async def test_invoice_paid_for_three_periods_gives_three_allotments_and_checkout_none(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    owner, client = await owner_client(database, stripe_client_factory)
    started = (await gql(client, SUBSCRIBE))["subscribe"]
    assert started["provider"] == "stripe" and started["completed"] is False
    (checkout,) = fake_stripe.checkout_sessions.values()
    assert checkout["mode"] == "subscription"
    assert checkout["subscription_data"]["metadata"] == {
        "organisation_id": str(owner.organisation_id),
        "plan_id": "premium",
    }
    customer = checkout["customer"]
    org = str(owner.organisation_id)
    start = int(time.time()) - 2 * DAY
    periods = [(start + i * 30 * DAY, start + (i + 1) * 30 * DAY) for i in range(3)]
    fake_stripe.subscriptions["sub_1"] = subscription(
        "sub_1",
        customer=customer,
        organisation_id=org,
        plan_id="premium",
        start=periods[0][0],
        end=periods[0][1],
    )
    done = {**checkout, "status": "complete", "payment_status": "paid", "subscription": "sub_1"}
    assert (
        await deliver(client, event("evt_co", "checkout.session.completed", done))
    ).status_code == 200
    assert (await gql(client, STATE))["creditBalance"] == 0  # never allotted on checkout

    for index, (begin, end) in enumerate(periods):
        fake_stripe.subscriptions["sub_1"] = subscription(
            "sub_1", customer=customer, organisation_id=org, plan_id="premium", start=begin, end=end
        )
        paid = invoice(
            f"in_{index}", customer=customer, subscription_id="sub_1", start=begin, end=end
        )
        assert (await deliver(client, event(f"evt_inv_{index}", "invoice.paid", paid))).json()[
            "outcome"
        ] == "applied"
        assert (await deliver(client, event(f"evt_inv_{index}", "invoice.paid", paid))).json()[
            "outcome"
        ] == "replayed"
    state = await gql(client, STATE)
    assert state["creditBalance"] == 180
    assert state["billingSubscription"]["planId"] == "premium"
    # A second plan would be a second Stripe subscription: changes go through the portal.
    twice = await gql(
        client,
        'mutation { subscribe(planId: "business") { __typename ... on InvalidInput { field } } }',
    )
    assert twice["subscribe"] == {"__typename": "InvalidInput", "field": "planId"}
    assert state["billingSubscription"]["seats"] == 5
    kinds = await gql(client, "{ ledgerEntries(kind: ALLOTMENT) { edges { node { amount } } } }")
    assert [e["node"]["amount"] for e in kinds["ledgerEntries"]["edges"]] == [60, 60, 60]
    assert await seat_limit(database, owner.organisation_id) == 5
    receipts = await gql(client, "{ purchases { edges { node { purpose invoiceUrl } } } }")
    assert {e["node"]["invoiceUrl"] for e in receipts["purchases"]["edges"]} == {
        f"https://invoice.stripe.test/i/in_{i}" for i in range(3)
    }


async def test_events_delivered_out_of_order_end_in_the_current_state(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    owner, client = await owner_client(database, stripe_client_factory)
    await gql(client, SUBSCRIBE)
    (checkout,) = fake_stripe.checkout_sessions.values()
    customer, org = checkout["customer"], str(owner.organisation_id)
    now = int(time.time())
    premium = subscription(
        "sub_2",
        customer=customer,
        organisation_id=org,
        plan_id="premium",
        start=now,
        end=now + 30 * DAY,
    )
    business = subscription(
        "sub_2",
        customer=customer,
        organisation_id=org,
        plan_id="business",
        start=now,
        end=now + 30 * DAY,
    )
    fake_stripe.subscriptions["sub_2"] = business  # Stripe's state now: upgraded to Business
    # The upgrade's event arrives first, the creation's (still saying Premium) after it.
    await deliver(client, event("evt_up", "customer.subscription.updated", business))
    await deliver(client, event("evt_created", "customer.subscription.created", premium))
    # invoice.paid before any checkout.session.completed: still allotted, by the plan Stripe reports.
    paid = invoice(
        "in_b", customer=customer, subscription_id="sub_2", start=now, end=now + 30 * DAY
    )
    await deliver(client, event("evt_paid", "invoice.paid", paid))
    state = await gql(client, STATE)
    assert state["billingSubscription"]["planId"] == "business"
    assert state["creditBalance"] == 180
    assert await seat_limit(database, owner.organisation_id) == 20

    # Cancelled: the deletion arrives, then a stale "updated" saying active.
    fake_stripe.subscriptions["sub_2"] = {**business, "status": "canceled"}
    await deliver(
        client,
        event("evt_del", "customer.subscription.deleted", {**business, "status": "canceled"}),
    )
    await deliver(client, event("evt_stale", "customer.subscription.updated", business))
    state = await gql(client, STATE)
    assert state["billingSubscription"]["status"] == "canceled"
    assert await seat_limit(database, owner.organisation_id) is None


async def test_the_portal_link_is_for_the_organisations_own_customer(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    _, client = await owner_client(database, stripe_client_factory)
    portal = "mutation { billingPortalUrl { __typename ... on BillingPortal { url provider } ... on Error { message } } }"
    assert (await gql(client, portal))["billingPortalUrl"]["__typename"] == "PaymentUnavailable"
    await gql(client, SUBSCRIBE)
    opened = (await gql(client, portal))["billingPortalUrl"]
    assert opened["url"].startswith("https://billing.stripe.test/p/session/bps_")
    (customer,) = fake_stripe.customers
    assert fake_stripe.requests[-1][2]["customer"] == customer


async def test_clients_and_collaborators_cannot_buy_subscribe_or_open_the_portal(
    database: Database, stripe_client_factory: Factory, fake_stripe: FakeStripe
) -> None:
    owner = await make_organisation(database)
    for role in (Role.CLIENT, Role.COLLABORATOR):
        member = await add_member(database, owner, role=role)
        client = stripe_client_factory()
        await log_in(client, member)
        for mutation, field in (
            (BUY, "buyCredits"),
            (SUBSCRIBE, "subscribe"),
            ("mutation { billingPortalUrl { __typename } }", "billingPortalUrl"),
        ):
            assert (await gql(client, mutation))[field]["__typename"] == "NotAllowed", (role, field)
    assert fake_stripe.checkout_sessions == {} and fake_stripe.customers == {}


async def test_an_event_for_an_unknown_customer_or_a_foreign_tenant_does_nothing(
    database: Database,
    stripe_client_factory: Factory,
    fake_stripe: FakeStripe,
    stripe_settings: Settings,
) -> None:
    a, client = await owner_client(database, stripe_client_factory)
    b = await make_organisation(database)
    await gql(client, BUY)
    checkout = completed_checkout(fake_stripe)
    # B's id in A's checkout metadata: the stored customer says A, so the event is refused.
    forged = {
        **checkout,
        "metadata": {**checkout["metadata"], "organisation_id": str(b.organisation_id)},
    }
    response = await deliver(client, event("evt_foreign", "checkout.session.completed", forged))
    assert response.json()["outcome"] == "ignored"
    stray = {**checkout, "customer": "cus_nobody", "metadata": {"organisation_id": "not-a-uuid"}}
    assert (await deliver(client, event("evt_stray", "checkout.session.completed", stray))).json()[
        "outcome"
    ] == "ignored"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 0
    assert await events_stored(database, a.organisation_id) == 0
