"""Exactly once under concurrency: Stripe delivering one event several times at once credits once.

The app runs on `committed_database` (a pool of real connections), so the eight deliveries are
eight concurrent transactions racing in PostgreSQL, not eight savepoints taking turns.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select
from tests.billing.fake_stripe import FakeStripe, event, sign
from tests.billing.helpers import STRIPE_WEBHOOK_SECRET
from tests.factories import gql, log_in, make_organisation

from probant_platform.billing.models import PaymentEvent
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope

BUY = "mutation($p: String!) { buyCredits(packId: $p) { ... on CheckoutPayload { checkoutUrl } } }"
DELIVERIES = 8


async def test_the_same_event_delivered_eight_times_at_once_applies_once(
    committed_database: Database,
    stripe_settings: Settings,
    stripe_api: tuple[FakeStripe, str],
) -> None:
    from probant_platform.web.app import create_app

    stripe, _ = stripe_api
    app = create_app(stripe_settings, database=committed_database, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    owner = await make_organisation(committed_database)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await log_in(client, owner)
        url = (await gql(client, BUY, {"p": "pack-12"}))["buyCredits"]["checkoutUrl"]
        paid = {**stripe.sessions[url.rsplit("/", 1)[1]], "payment_status": "paid"}
        payload = event(f"evt_race_{uuid.uuid4().hex}", "checkout.session.completed", paid)
        headers = {
            "content-type": "application/json",
            "stripe-signature": sign(payload, STRIPE_WEBHOOK_SECRET),
        }

        responses = await asyncio.gather(
            *(
                client.post("/webhooks/stripe", content=payload, headers=headers)
                for _ in range(DELIVERIES)
            )
        )

        assert [r.status_code for r in responses] == [200] * DELIVERIES
        outcomes = sorted(r.json()["outcome"] for r in responses)
        assert outcomes == ["applied"] + ["duplicate"] * (DELIVERIES - 1)
        assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 12
        assert len((await gql(client, "{ receipts { credits } }"))["receipts"]) == 1
    async with committed_database.unit_of_work(
        TenantScope(organisation_id=owner.organisation_id)
    ) as session:
        stored = await session.execute(select(func.count()).select_from(PaymentEvent))
        assert stored.scalar_one() == 1
