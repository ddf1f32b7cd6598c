# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Stripe: checkout, signed webhooks applied once and in any order, subscriptions and seats.

Outgoing calls go to a local server speaking Stripe's endpoints; webhook payloads are signed
exactly as Stripe signs them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from tests.billing.fake_stripe import FakeStripe, event, sign
from tests.billing.helpers import STRIPE_WEBHOOK_SECRET
from tests.factories import Role, add_member, gql, log_in, make_organisation

from probant_platform.billing.models import PaymentEvent
from probant_platform.billing.payments import register_payment_handler
from probant_platform.billing.providers import provider_for
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_tenants.models import Organisation

SECRET = STRIPE_WEBHOOK_SECRET
BUY = """mutation($p: String!) { buyCredits(packId: $p) { __typename ... on CheckoutPayload { checkoutUrl provider completed label } ... on Error { message } } }"""
SUBSCRIBE = """mutation($p: String!) { subscribe(planId: $p) { __typename ... on CheckoutPayload { checkoutUrl provider completed } ... on Error { message } } }"""
PORTAL = "mutation { billingPortalUrl { __typename ... on BillingPortal { url } ... on Error { message } } }"
DAY = 86_400


@pytest.fixture
async def stripe_client(
    stripe_settings: Settings, database: Database
) -> AsyncIterator[httpx.AsyncClient]:
    from probant_platform.web.app import create_app

    app = create_app(stripe_settings, database=database, configure_logs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


async def _post(client: httpx.AsyncClient, payload: bytes, signature: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["stripe-signature"] = signature
    return await client.post("/webhooks/stripe", content=payload, headers=headers)


async def deliver(client: httpx.AsyncClient, payload: bytes) -> str:
    response = await _post(client, payload, sign(payload, SECRET))
    assert response.status_code == 200, response.text
    return str(response.json()["outcome"])


async def _balance(client: httpx.AsyncClient) -> int:
    return int((await gql(client, "{ creditBalance }"))["creditBalance"])


async def _events(database: Database, organisation_id: uuid.UUID) -> int:
    async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
        return int((await s.execute(select(func.count()).select_from(PaymentEvent))).scalar_one())


def _paid_checkout(stripe: FakeStripe, url: str) -> dict[str, Any]:
    checkout = stripe.sessions[url.rsplit("/", 1)[1]]
    return {**checkout, "payment_status": "paid", "status": "complete"}


async def test_a_pack_bought_through_stripe_is_credited_once_by_the_signed_webhook(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    bought = (await gql(stripe_client, BUY, {"p": "pack-12"}))["buyCredits"]
    assert bought["__typename"] == "CheckoutPayload"
    assert bought["provider"] == "stripe" and bought["completed"] is False
    assert bought["label"] is None
    assert bought["checkoutUrl"].startswith("https://checkout.stripe.test/")
    assert await _balance(stripe_client) == 0  # nothing before Stripe says it is paid

    # One Stripe customer for the organisation, reused by the next checkout.
    await gql(stripe_client, BUY, {"p": "pack-6"})
    assert len(stripe.customers) == 1
    created = [form for _, path, form in stripe.requests if path == "/v1/checkout/sessions"]
    assert created[0]["mode"] == "payment"
    assert created[0]["line_items[0][price_data][unit_amount]"] == "10680"
    assert created[0]["metadata[organisation_id]"] == str(owner.organisation_id)

    payload = event(
        "evt_pack_1", "checkout.session.completed", _paid_checkout(stripe, bought["checkoutUrl"])
    )
    assert await deliver(stripe_client, payload) == "applied"
    assert await _balance(stripe_client) == 12
    assert await deliver(stripe_client, payload) == "duplicate"  # Stripe retries: one effect
    assert await _balance(stripe_client) == 12
    receipts = await gql(
        stripe_client,
        "{ receipts { description credits provider price { ttcCents htCents vatCents } } }",
    )
    assert receipts["receipts"] == [
        {
            "description": "Pack 12 crédits",
            "credits": 12,
            "provider": "stripe",
            "price": {"ttcCents": 10_680, "htCents": 8_900, "vatCents": 1_780},
        }
    ]


async def test_a_delayed_payment_is_credited_when_it_succeeds_with_its_invoice_linked(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    bought = (await gql(stripe_client, BUY, {"p": "pack-6"}))["buyCredits"]
    checkout = stripe.sessions[bought["checkoutUrl"].rsplit("/", 1)[1]]
    stripe.invoices["in_sepa"] = {
        "id": "in_sepa",
        "object": "invoice",
        "hosted_invoice_url": "https://invoice.stripe.test/i/in_sepa",
    }
    # SEPA debit: the session completes unpaid; the money arrives days later.
    pending = {**checkout, "status": "complete", "payment_status": "unpaid", "invoice": "in_sepa"}
    # Recorded (so a retry is a duplicate) but credits nothing while unpaid.
    assert await deliver(stripe_client, event("evt_s1", "checkout.session.completed", pending)) == (
        "applied"
    )
    assert await _balance(stripe_client) == 0
    paid = {**pending, "payment_status": "paid"}
    succeeded = event("evt_s2", "checkout.session.async_payment_succeeded", paid)
    assert await deliver(stripe_client, succeeded) == "applied"
    # A stray second completion of the same session (another event id) adds nothing.
    assert await deliver(stripe_client, event("evt_s3", "checkout.session.completed", paid)) == (
        "applied"
    )
    assert await deliver(stripe_client, event("evt_s1", "checkout.session.completed", pending)) == (
        "duplicate"
    )
    assert await _balance(stripe_client) == 6
    receipts = await gql(stripe_client, "{ receipts { credits invoiceUrl } }")
    assert receipts["receipts"] == [
        {"credits": 6, "invoiceUrl": "https://invoice.stripe.test/i/in_sepa"}
    ]


async def test_metadata_naming_another_organisation_than_the_customers_is_refused(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    a = await make_organisation(database)
    b = await make_organisation(database)
    await log_in(stripe_client, a)
    bought = (await gql(stripe_client, BUY, {"p": "pack-6"}))["buyCredits"]
    paid = _paid_checkout(stripe, bought["checkoutUrl"])
    forged = {**paid, "metadata": {**paid["metadata"], "organisation_id": str(b.organisation_id)}}
    assert await deliver(stripe_client, event("evt_x", "checkout.session.completed", forged)) == (
        "ignored"
    )
    assert await _balance(stripe_client) == 0
    assert await _events(database, a.organisation_id) == 0
    assert await _events(database, b.organisation_id) == 0


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "t=1,v1=deadbeef",
        "wrong-secret",
        "too-old",
        "tampered",
    ],
)
async def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    database: Database,
    stripe_client: httpx.AsyncClient,
    stripe_api: tuple[FakeStripe, str],
    signature: str | None,
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    bought = (await gql(stripe_client, BUY, {"p": "pack-30"}))["buyCredits"]
    payload = event(
        "evt_forged", "checkout.session.completed", _paid_checkout(stripe, bought["checkoutUrl"])
    )
    header = signature
    if signature == "wrong-secret":
        header = sign(payload, "whsec_someone_else")
    elif signature == "too-old":
        header = sign(payload, SECRET, timestamp=int(time.time()) - 301)
    elif signature == "tampered":
        header = sign(payload, SECRET)
        payload = payload.replace(b'"payment_status": "paid"', b'"payment_status": "paid" ')
    response = await _post(stripe_client, payload, header)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid signature"}
    assert await _balance(stripe_client) == 0
    assert await _events(database, owner.organisation_id) == 0


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"id": "evt_1", "type": "invoice.paid"}', b'{"id": 1, "data": []}'],
)
async def test_a_signed_but_malformed_event_is_refused_not_a_server_error(
    database: Database, stripe_client: httpx.AsyncClient, body: bytes
) -> None:
    owner = await make_organisation(database)
    response = await _post(stripe_client, body, sign(body, SECRET))
    assert response.status_code == 400
    assert await _events(database, owner.organisation_id) == 0


async def _subscribe(
    client: httpx.AsyncClient, stripe: FakeStripe, organisation_id: uuid.UUID, plan: str
) -> tuple[str, dict[str, str]]:
    started = (await gql(client, SUBSCRIBE, {"p": plan}))["subscribe"]
    assert started["__typename"] == "CheckoutPayload" and started["completed"] is False
    checkout = stripe.sessions[started["checkoutUrl"].rsplit("/", 1)[1]]
    assert checkout["mode"] == "subscription"
    metadata = checkout["subscription_metadata"]
    assert metadata == {"organisation_id": str(organisation_id), "plan_id": plan}
    return f"sub_{uuid.uuid4().hex[:10]}", metadata


def _invoice(
    invoice_id: str, subscription: str, customer: str, start: int, amount: int
) -> dict[str, Any]:
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "amount_paid": amount,
        "hosted_invoice_url": f"https://invoice.stripe.test/{invoice_id}",
        "lines": {
            "object": "list",
            "data": [{"period": {"start": start, "end": start + 30 * DAY}}],
        },
    }


async def test_invoice_paid_for_three_periods_gives_three_allotments_and_never_on_checkout(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    sub, metadata = await _subscribe(stripe_client, stripe, owner.organisation_id, "business")
    customer = next(iter(stripe.customers))
    start = int(time.time()) - 90 * DAY
    stripe.set_subscription(
        sub, status="active", metadata=metadata, start=start, end=start + 30 * DAY
    )
    completed = {
        "id": "cs_sub",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": customer,
        "subscription": sub,
        "metadata": {**metadata, "purpose": "plan"},
        "payment_status": "paid",
    }
    assert (
        await deliver(stripe_client, event("evt_cs", "checkout.session.completed", completed))
        == "applied"
    )
    assert await _balance(stripe_client) == 0  # credits come with invoice.paid only

    for period in range(3):
        begins = start + period * 30 * DAY
        stripe.set_subscription(
            sub, status="active", metadata=metadata, start=begins, end=begins + 30 * DAY
        )
        payload = event(
            f"evt_inv_{period}",
            "invoice.paid",
            _invoice(f"in_{period}", sub, customer, begins, 99_000),
        )
        assert await deliver(stripe_client, payload) == "applied"
    assert await _balance(stripe_client) == 3 * 180  # Business rolls unused credits over
    history = await gql(
        stripe_client, "{ ledgerEntries(kind: ALLOTMENT) { edges { node { kind } } } }"
    )
    assert len(history["ledgerEntries"]["edges"]) == 3
    current = (await gql(stripe_client, "{ subscription { planId status provider seats } }"))[
        "subscription"
    ]
    assert current == {"planId": "business", "status": "ACTIVE", "provider": "stripe", "seats": 20}
    # Subscribing again would bill a second subscription: changes go through the portal.
    sessions = len(stripe.sessions)
    again = await gql(
        stripe_client,
        'mutation { subscribe(planId: "premium") { __typename ... on InvalidInput { field } } }',
    )
    assert again["subscribe"] == {"__typename": "InvalidInput", "field": "planId"}
    assert len(stripe.sessions) == sessions
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        assert (await s.get(Organisation, owner.organisation_id)).seat_limit == 20  # type: ignore[union-attr]
    receipts = (await gql(stripe_client, "{ receipts { invoiceUrl price { ttcCents } } }"))[
        "receipts"
    ]
    assert len(receipts) == 3
    assert receipts[0]["invoiceUrl"].startswith("https://invoice.stripe.test/")


async def test_a_plan_without_rollover_expires_the_unused_allotment_when_the_next_period_is_paid(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    sub, metadata = await _subscribe(stripe_client, stripe, owner.organisation_id, "premium")
    customer = next(iter(stripe.customers))
    start = int(time.time()) - 40 * DAY
    stripe.set_subscription(
        sub, status="active", metadata=metadata, start=start, end=start + 30 * DAY
    )
    await deliver(
        stripe_client,
        event("evt_p1", "invoice.paid", _invoice("in_p1", sub, customer, start, 39_900)),
    )
    assert await _balance(stripe_client) == 60
    nxt = start + 30 * DAY
    stripe.set_subscription(sub, status="active", metadata=metadata, start=nxt, end=nxt + 30 * DAY)
    await deliver(
        stripe_client,
        event("evt_p2", "invoice.paid", _invoice("in_p2", sub, customer, nxt, 39_900)),
    )
    assert await _balance(stripe_client) == 60  # 60 expired, 60 allotted
    expired = await gql(
        stripe_client, "{ ledgerEntries(kind: EXPIRY) { edges { node { amount } } } }"
    )
    assert [e["node"]["amount"] for e in expired["ledgerEntries"]["edges"]] == [-60]


async def test_events_delivered_out_of_order_end_in_the_subscriptions_real_state(
    database: Database, stripe_client: httpx.AsyncClient, stripe_api: tuple[FakeStripe, str]
) -> None:
    stripe, _ = stripe_api
    owner = await make_organisation(database)
    await log_in(stripe_client, owner)
    sub, metadata = await _subscribe(stripe_client, stripe, owner.organisation_id, "premium")
    customer = next(iter(stripe.customers))
    start = int(time.time()) - DAY
    # invoice.paid arrives before checkout.session.completed: the customer names the tenant.
    stripe.set_subscription(
        sub, status="active", metadata=metadata, start=start, end=start + 30 * DAY
    )
    await deliver(
        stripe_client,
        event("evt_a", "invoice.paid", _invoice("in_a", sub, customer, start, 39_900)),
    )
    await deliver(
        stripe_client,
        event(
            "evt_b",
            "checkout.session.completed",
            {
                "id": "cs_x",
                "object": "checkout.session",
                "mode": "subscription",
                "customer": customer,
                "subscription": sub,
                "metadata": {**metadata, "purpose": "plan"},
                "payment_status": "paid",
            },
        ),
    )
    assert await _balance(stripe_client) == 60  # one allotment, none from the checkout
    # The subscription is cancelled; the "deleted" event overtakes an older "updated".
    stripe.set_subscription(
        sub, status="canceled", metadata=metadata, start=start, end=start + 30 * DAY
    )
    deleted = {
        "id": sub,
        "object": "subscription",
        "status": "canceled",
        "metadata": metadata,
        "customer": customer,
    }
    stale = {**deleted, "status": "active"}
    await deliver(stripe_client, event("evt_c", "customer.subscription.deleted", deleted))
    await deliver(stripe_client, event("evt_d", "customer.subscription.updated", stale))
    current = (await gql(stripe_client, "{ subscription { status } }"))["subscription"]
    assert current == {"status": "CANCELED"}
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        assert (await s.get(Organisation, owner.organisation_id)).seat_limit is None  # type: ignore[union-attr]


async def test_another_domains_payment_completes_once_through_the_webhook(
    database: Database,
    stripe_client: httpx.AsyncClient,
    stripe_api: tuple[FakeStripe, str],
    stripe_settings: Settings,
) -> None:
    stripe, _ = stripe_api
    calls: list[tuple[uuid.UUID, str]] = []

    async def handler(*, session: Any, purpose_id: uuid.UUID, payment_reference: str) -> None:
        calls.append((purpose_id, payment_reference))

    register_payment_handler("test-purpose", handler)
    owner = await make_organisation(database)
    order = uuid.uuid4()
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        checkout = await provider_for(stripe_settings).checkout_payment(
            session=s,
            organisation_id=owner.organisation_id,
            purpose="test-purpose",
            purpose_id=order,
            description="PV de constat",
            amount_ttc_cents=18_000,
            base_url="http://testserver",
            actor_user_id=owner.user_id,
        )
    assert checkout.completed is False and calls == []
    payload = event("evt_pv", "checkout.session.completed", _paid_checkout(stripe, checkout.url))
    await deliver(stripe_client, payload)
    await deliver(stripe_client, payload)
    assert calls == [(order, checkout.url.rsplit("/", 1)[1])]


async def test_only_owners_and_admins_subscribe_and_open_the_portal(
    database: Database,
    stripe_settings: Settings,
    stripe_client: httpx.AsyncClient,
    client_factory: Any,
) -> None:
    owner = await make_organisation(database)
    sub_account = await add_member(database, owner, role=Role.CLIENT)
    await log_in(stripe_client, sub_account)
    assert (await gql(stripe_client, SUBSCRIBE, {"p": "premium"}))["subscribe"][
        "__typename"
    ] == "NotAllowed"
    assert (await gql(stripe_client, PORTAL))["billingPortalUrl"]["__typename"] == "NotAllowed"
    assert (await gql(stripe_client, BUY, {"p": "pack-1"}))["buyCredits"][
        "__typename"
    ] == "NotAllowed"
    await log_in(stripe_client, owner)
    portal = (await gql(stripe_client, PORTAL))["billingPortalUrl"]
    assert portal == {"__typename": "BillingPortal", "url": "https://billing.stripe.test/p/1"}
    unknown = (await gql(stripe_client, SUBSCRIBE, {"p": "pack-6"}))["subscribe"]
    assert unknown["__typename"] == "InvalidInput"


async def test_stripe_down_is_a_typed_error_and_nothing_is_written(
    database: Database, settings: Settings
) -> None:
    from probant_platform.web.app import create_app

    down = settings.model_copy(
        update={
            "stripe_secret_key": SecretStr("sk_test_probant"),
            "stripe_webhook_secret": SecretStr(SECRET),
            "stripe_api_base": "http://127.0.0.1:9",
        }
    )
    app = create_app(down, database=database, configure_logs=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        owner = await make_organisation(database)
        await log_in(c, owner)
        failed = (await gql(c, BUY, {"p": "pack-6"}))["buyCredits"]
        assert failed["__typename"] == "PaymentUnavailable"
        assert (await gql(c, "{ receipts { id } }"))["receipts"] == []


async def test_the_stripe_webhook_drives_a_pv_order_from_payment_to_the_office(
    database: Database,
    stripe_client: httpx.AsyncClient,
    stripe_api: tuple[FakeStripe, str],
    stripe_settings: Settings,
) -> None:
    from tests.bailiffs.helpers import IDENTITY, ORDER, make_office, sealed_deposit
    from tests.ledger_helpers import fund

    from probant_platform.web.app import create_app

    stripe, _ = stripe_api
    office = await make_office(database, name="Étude Durand", price_cents=15_000)
    firm = await make_organisation(database, name="Cabinet Lefèvre")
    await fund(database, firm.organisation_id, 3)
    await log_in(stripe_client, firm)
    deposit = await sealed_deposit(stripe_client)
    ordered = await gql(
        stripe_client,
        ORDER,
        {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "Dégât des eaux."}},
    )
    order = ordered["orderConstat"]["order"]
    pay = "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename ... on ConstatPaymentStarted { checkoutUrl provider completed order { status } } ... on Error { message } } }"
    started = (await gql(stripe_client, pay, {"o": order["id"]}))["payConstatOrder"]
    assert started["provider"] == "stripe" and started["completed"] is False
    assert started["order"]["status"] == "AWAITING_PAYMENT"
    checkout = stripe.sessions[started["checkoutUrl"].rsplit("/", 1)[1]]
    assert checkout["amount_total"] == 15_000 and checkout["metadata"]["purpose"] == "constat"

    app = create_app(stripe_settings, database=database, configure_logs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as clerk:
        await log_in(clerk, office.clerk)
        listed = "{ constatOrders { edges { node { id status } } } }"
        assert (await gql(clerk, listed))["constatOrders"][
            "edges"
        ] == []  # unpaid: not the office's yet
        payload = event(
            "evt_pv_paid", "checkout.session.completed", {**checkout, "payment_status": "paid"}
        )
        assert await deliver(stripe_client, payload) == "applied"
        assert await deliver(stripe_client, payload) == "duplicate"
        edges = (await gql(clerk, listed))["constatOrders"]["edges"]
        assert [e["node"] for e in edges] == [{"id": order["id"], "status": "AWAITING_VALIDATION"}]
    mine = await gql(stripe_client, "{ constatOrders { edges { node { status } } } }")
    assert mine["constatOrders"]["edges"][0]["node"]["status"] == "AWAITING_VALIDATION"
