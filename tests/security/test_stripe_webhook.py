"""Attacks and accidents on Stripe's webhook, with payloads signed exactly as Stripe signs them.

Before the fix a signed event naming an organisation we do not have answered 500 (so Stripe
retried it for days), and a signature dated in the future was accepted: Stripe's library
bounds only the past, so such a header stayed replayable for as long as it stayed ahead.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from sqlalchemy import select
from tests.billing.fake_stripe import event, sign
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.billing.webhooks import TOLERANCE_SECONDS
from probant_platform.billing.webhooks_ignored import IgnoredPaymentEvent
from probant_platform.db import Database

SECRET = "whsec_security_suite"


@pytest.fixture
def stripe(make_app: AppFactory, make_client: ClientFactory) -> httpx.AsyncClient:
    return make_client(make_app(STRIPE_WEBHOOK_SECRET=SECRET))


def _checkout_for(organisation_id: uuid.UUID) -> bytes:
    session = {
        "id": f"cs_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "customer": None,
        "metadata": {"organisation_id": str(organisation_id), "purchase_id": str(uuid.uuid4())},
    }
    return event(f"evt_{uuid.uuid4().hex}", "checkout.session.completed", session)


async def _post(client: httpx.AsyncClient, payload: bytes, signature: str) -> httpx.Response:
    headers = {"content-type": "application/json", "stripe-signature": signature}
    return await client.post("/webhooks/stripe", content=payload, headers=headers)


async def test_an_event_for_an_unknown_organisation_is_acknowledged_and_recorded(
    stripe: httpx.AsyncClient, database: Database
) -> None:
    # Given a signed event whose metadata names an organisation that does not exist
    payload = _checkout_for(uuid.uuid4())
    # When Stripe delivers it, and retries it
    first = await _post(stripe, payload, sign(payload, SECRET))
    again = await _post(stripe, payload, sign(payload, SECRET))
    # Then both deliveries are acknowledged, and the event is on record once, as ignored
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"received": True, "outcome": "ignored"}
    async with database.unit_of_work() as session:
        rows = (await session.scalars(select(IgnoredPaymentEvent))).all()
    recorded = [row for row in rows if row.id in payload.decode()]
    assert [(r.type, r.reason) for r in recorded] == [
        ("checkout.session.completed", "unknown_organisation")
    ]


@pytest.mark.parametrize(
    ("offset", "status"),
    [(TOLERANCE_SECONDS + 1, 400), (-(TOLERANCE_SECONDS + 1), 400), (60, 200)],
    ids=["future", "past", "slightly-ahead-clock"],
)
async def test_a_signature_dated_beyond_the_tolerance_either_way_is_refused(
    stripe: httpx.AsyncClient, offset: int, status: int
) -> None:
    payload = _checkout_for(uuid.uuid4())
    signature = sign(payload, SECRET, timestamp=int(time.time()) + offset)
    response = await _post(stripe, payload, signature)
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"error": "invalid signature"}
