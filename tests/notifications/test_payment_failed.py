# ruff: noqa: E501  (GraphQL operations kept on one line)
"""`payment.failed`: a payment Stripe reports failed (a refused renewal, a SEPA debit that
bounced) tells the organisation's owners and admins — inbox, email with its unsubscribe link,
push when on — once, however often Stripe delivers the event. Stripe's webhooks are signed
exactly as Stripe signs them and sent to the real endpoint; Stripe's API is the local
stand-in of `tests/billing`."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from email.header import decode_header, make_header
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.bailiffs.helpers import (
    IDENTITY,
    ORDER,
    Jobs,
    choose_office,
    make_office,
    sealed_deposit,
)
from tests.billing.fake_stripe import FakeStripe, event, sign
from tests.billing.helpers import STRIPE_WEBHOOK_SECRET, stripe_api, stripe_settings  # noqa: F401
from tests.factories import MemberInfo, Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.notifications.helpers import (
    NOTIFYING,
    PUSH_ON,
    inbox,
    kinds,
    register_push,
    run_notifying,
)
from tests.notifications.push_service import running_push_service
from tests.partners.receiver import running_receiver, verify
from tests.sent_emails import body_text, sent_emails

from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope
from probant_platform.events.models import DomainEvent
from probant_platform.notifications.fanout import fan_out

Factory = Callable[[], httpx.AsyncClient]
SUBSCRIBE = """mutation($p: String!) { subscribe(planId: $p) { __typename ... on CheckoutPayload { checkoutUrl } ... on Error { message } } }"""
BUY = """mutation($p: String!) { buyCredits(packId: $p) { __typename ... on CheckoutPayload { checkoutUrl } ... on Error { message } } }"""
PAY = """mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename ... on ConstatPaymentStarted { checkoutUrl } ... on Error { message } } }"""
CREATE_ENDPOINT = """mutation($u: String!, $e: [String!]!) { createWebhookEndpoint(url: $u, events: $e) { __typename ... on WebhookEndpointSecret { secret } ... on Error { message } } }"""
ENGLISH = 'mutation { updateMyProfile(locale: "en") { __typename } }'
FR_RENEWAL = "Le paiement de l'abonnement (399,00 €) a échoué : vérifiez votre moyen de paiement."
EN_RENEWAL = "The payment for the subscription (€399.00) failed: check your payment method."


@pytest.fixture
async def stripe_clients(
    stripe_settings: Settings,  # noqa: F811
    database: Database,
) -> AsyncIterator[Factory]:
    """Clients of an app configured for Stripe (the webhook and the people it concerns)."""
    from probant_platform.web.app import create_app

    app = create_app(stripe_settings, database=database, configure_logs=False)
    clients: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        made = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        clients.append(made)
        return made

    yield make
    for made in clients:
        await made.aclose()


async def deliver(client: httpx.AsyncClient, payload: bytes) -> str:
    """POST as Stripe does: raw body, `Stripe-Signature` over it with the endpoint's secret."""
    response = await client.post(
        "/webhooks/stripe",
        content=payload,
        headers={
            "content-type": "application/json",
            "stripe-signature": sign(payload, STRIPE_WEBHOOK_SECRET),
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["outcome"])


async def _firm(
    database: Database, make: Factory
) -> tuple[
    MemberInfo, httpx.AsyncClient, MemberInfo, httpx.AsyncClient, MemberInfo, httpx.AsyncClient
]:
    """An owner, an admin (reading English) and a collaborator, each signed in."""
    owner = await make_organisation(database)
    admin = await add_member(database, owner, role=Role.ADMIN)
    collaborator = await add_member(database, owner, role=Role.COLLABORATOR)
    clients = []
    for member in (owner, admin, collaborator):
        client = make()
        await log_in(client, member)
        clients.append(client)
    assert (await gql(clients[1], ENGLISH))["updateMyProfile"]["__typename"] == "PersonPayload"
    return owner, clients[0], admin, clients[1], collaborator, clients[2]


def _subjects(mails: list[Any]) -> list[str]:
    return [str(make_header(decode_header(m["Subject"]))) for m in mails]


async def test_a_refused_renewal_tells_the_admins_once_and_not_the_others(
    database: Database,
    stripe_clients: Factory,
    stripe_api: tuple[FakeStripe, str],  # noqa: F811
    smtp_server: Any,
) -> None:
    stripe, _ = stripe_api
    owner, owner_client, admin, admin_client, collaborator, collaborator_client = await _firm(
        database, stripe_clients
    )
    started = (await gql(owner_client, SUBSCRIBE, {"p": "business"}))["subscribe"]
    assert started["__typename"] == "CheckoutPayload", started
    [customer] = stripe.customers  # the organisation's Stripe customer, made at checkout
    retry = int(time.time()) + 3 * 86_400
    invoice = {
        "id": "in_refused_1",
        "object": "invoice",
        "customer": customer,
        "subscription": "sub_refused_1",
        "amount_due": 39_900,
        "attempt_count": 1,
        "next_payment_attempt": retry,
        "status": "open",
    }
    payload = event("evt_invoice_refused_1", "invoice.payment_failed", invoice)
    async with running_push_service() as service:
        assert (await gql(admin_client, PUSH_ON))["updateNotificationPreferences"]
        browser = service.browser()
        registered = await register_push(admin_client, browser)
        assert registered["__typename"] == "PushSubscriptionPayload", registered
        jobs = await Jobs.watch(database)
        assert await deliver(owner_client, payload) == "applied"
        assert await deliver(owner_client, payload) == "duplicate"  # Stripe retries
        await run_notifying(jobs)
        assert await deliver(owner_client, payload) == "duplicate"  # and again, later
        await run_notifying(jobs)

    told = (await inbox(owner_client))["notifications"]["edges"]
    assert [e["node"]["kind"] for e in told] == ["payment.failed"]
    assert told[0]["node"]["title"] == FR_RENEWAL
    assert told[0]["node"]["link"] == "/credits"
    told = (await inbox(admin_client))["notifications"]["edges"]
    assert [(e["node"]["kind"], e["node"]["title"]) for e in told] == [
        ("payment.failed", EN_RENEWAL)
    ]
    assert kinds(await inbox(collaborator_client)) == []

    # Push (on for the admin only): one, encrypted for their browser, in their language.
    [pushed] = service.delivered
    assert pushed.path == browser.endpoint.removeprefix(service.origin)
    assert pushed.payload["body"] == EN_RENEWAL
    assert pushed.payload["url"] == "http://testserver/app/credits"

    # Email (on by default): one each, with the one-click unsubscribe link for this kind.
    [mail] = await sent_emails(database, smtp_server, to=admin.email)
    assert _subjects([mail]) == [EN_RENEWAL]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe?token=" in mail["List-Unsubscribe"]
    assert "http://testserver/app/credits" in body_text(mail)
    assert _subjects(await sent_emails(database, smtp_server, to=owner.email)) == [FR_RENEWAL]
    assert await sent_emails(database, smtp_server, to=collaborator.email) == []

    # The fan-out run again (a requeued job) tells nobody twice.
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as s:
        [event_id] = (
            await s.execute(select(DomainEvent.id).where(DomainEvent.type == "payment.failed"))
        ).scalars()
        [data] = (
            await s.execute(select(DomainEvent.data).where(DomainEvent.id == event_id))
        ).scalars()
    assert await fan_out(database, organisation_id=owner.organisation_id, event_id=event_id) == 0
    # What partners' webhooks receive: no personal data, Stripe's references.
    assert data["purpose"] == "plan" and data["provider_reference"] == "in_refused_1"
    assert data["amount_cents"] == 39_900 and data["attempt"] == 1
    assert data["next_attempt_at"].endswith("+00:00")


async def test_a_bounced_debit_for_a_pack_or_a_pv_tells_the_admins_with_what_it_was_for(
    database: Database,
    stripe_clients: Factory,
    stripe_api: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    stripe, _ = stripe_api
    owner, owner_client, _, admin_client, _, collaborator_client = await _firm(
        database, stripe_clients
    )
    bought = (await gql(owner_client, BUY, {"p": "pack-6"}))["buyCredits"]
    checkout = stripe.sessions[bought["checkoutUrl"].rsplit("/", 1)[1]]
    # SEPA debit: the session completes unpaid, then the debit bounces days later.
    pending = {**checkout, "status": "complete", "payment_status": "unpaid"}
    jobs = await Jobs.watch(database)
    assert (
        await deliver(owner_client, event("evt_sepa_done", "checkout.session.completed", pending))
        == "applied"
    )
    failed = event("evt_sepa_failed", "checkout.session.async_payment_failed", pending)
    assert await deliver(owner_client, failed) == "applied"
    assert await deliver(owner_client, failed) == "duplicate"
    await run_notifying(jobs)
    told = (await inbox(owner_client))["notifications"]["edges"]
    assert [e["node"]["title"] for e in told] == [
        "Le paiement du pack de crédits (56,40 €) a échoué : vérifiez votre moyen de paiement."
    ]
    assert [e["node"]["title"] for e in (await inbox(admin_client))["notifications"]["edges"]] == [
        "The payment for the credit pack (€56.40) failed: check your payment method."
    ]
    assert (await gql(owner_client, "{ creditBalance }"))["creditBalance"] == 0

    # A PV de constat paid by SEPA: the notification links the deposit, to pay again there.
    office = await make_office(database, name="Étude Prélèvement", price_cents=15_000)
    await fund(database, owner.organisation_id, 2)
    await choose_office(owner_client, office.node_id)
    deposit = await sealed_deposit(owner_client)
    ordered = await gql(
        owner_client,
        ORDER,
        {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "Dégât des eaux."}},
    )
    order = ordered["orderConstat"]["order"]
    started = (await gql(owner_client, PAY, {"o": order["id"]}))["payConstatOrder"]
    checkout = stripe.sessions[started["checkoutUrl"].rsplit("/", 1)[1]]
    bounced = {**checkout, "status": "complete", "payment_status": "unpaid"}
    async with running_receiver() as receiver:
        # A partner's webhook may subscribe to it too: the same event, signed, ids only.
        made = await gql(
            owner_client, CREATE_ENDPOINT, {"u": receiver.url, "e": ["payment.failed"]}
        )
        assert made["createWebhookEndpoint"]["__typename"] == "WebhookEndpointSecret", made
        pv_failed = event("evt_pv_failed", "checkout.session.async_payment_failed", bounced)
        assert await deliver(owner_client, pv_failed) == "applied"
        await run_notifying(jobs, (*NOTIFYING, "webhooks.deliver"))
    [message] = receiver.received
    assert verify(made["createWebhookEndpoint"]["secret"], message.headers, message.body)
    sent = message.json()
    assert sent["type"] == "payment.failed"
    assert sent["data"] == {
        "provider": "stripe",
        "provider_reference": checkout["id"],
        "purpose": "constat",
        "constat_order_id": order["id"],
        "amount_cents": 15_000,
    }
    node = (await inbox(owner_client))["notifications"]["edges"][0]["node"]
    assert node["title"] == (
        "Le paiement du procès-verbal de constat (150,00 €) a échoué : vérifiez votre moyen de paiement."
    )
    assert node["link"] == f"/deposits/{deposit['id']}"
    assert kinds(await inbox(collaborator_client)) == []


async def test_failures_that_name_nothing_of_ours_tell_nobody(
    database: Database,
    stripe_clients: Factory,
    stripe_api: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    stripe, _ = stripe_api
    owner, owner_client, *_ = await _firm(database, stripe_clients)
    await gql(owner_client, BUY, {"p": "pack-6"})
    [customer] = stripe.customers
    jobs = await Jobs.watch(database)
    # A one-off invoice (no subscription: nothing Probant sold through an invoice).
    one_off = {"id": "in_one_off", "object": "invoice", "customer": customer, "amount_due": 500}
    assert (
        await deliver(owner_client, event("evt_one_off", "invoice.payment_failed", one_off))
        == "applied"
    )
    # A checkout session Probant never created, for this organisation's customer.
    stray = {
        "id": "cs_stray",
        "object": "checkout.session",
        "customer": customer,
        "mode": "payment",
        "metadata": {"organisation_id": str(owner.organisation_id), "purchase_id": "not-a-uuid"},
    }
    assert (
        await deliver(
            owner_client, event("evt_stray", "checkout.session.async_payment_failed", stray)
        )
        == "applied"
    )
    await run_notifying(jobs)
    assert kinds(await inbox(owner_client)) == []
