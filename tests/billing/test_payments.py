"""One-off payments for other domains (a PV de constat): the registered handler runs once."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.billing.fake_stripe import FakeStripe, event, sign
from tests.factories import make_organisation

from probant_platform.billing import payments
from probant_platform.billing.providers import (
    DevelopmentProvider,
    provider_for,
    refund_on_rejection,
    register_payment_handler,
)
from probant_platform.billing.subscriptions import SubscriptionState, apply_state
from probant_platform.config import Settings
from probant_platform.db import Database, TenantScope


@pytest.fixture
def constat_calls() -> Iterator[list[tuple[uuid.UUID, str]]]:
    """A handler for purpose "constat" that records its calls (the previous one restored after)."""
    calls: list[tuple[uuid.UUID, str]] = []
    previous = payments._handlers.get("constat")

    async def handler(
        *, session: AsyncSession, purpose_id: uuid.UUID, payment_reference: str
    ) -> None:
        assert session.in_transaction()
        calls.append((purpose_id, payment_reference))

    register_payment_handler("constat", handler)
    yield calls
    if previous is None:
        payments._handlers.pop("constat", None)
    else:
        payments._handlers["constat"] = previous


async def _pay_constat(
    database: Database,
    settings: Settings,
    organisation_id: uuid.UUID,
    user_id: uuid.UUID,
    constat_id: uuid.UUID,
) -> Any:
    scope = TenantScope(organisation_id=organisation_id, user_id=user_id)
    async with database.unit_of_work(scope) as session:
        return await provider_for(settings).checkout_payment(
            session=session,
            organisation_id=organisation_id,
            purpose="constat",
            purpose_id=constat_id,
            description="PV de constat de dépôt",
            amount_ttc_cents=14_400,
            base_url="http://testserver",
            actor_user_id=user_id,
        )


async def test_a_constat_paid_through_stripe_calls_its_handler_once_on_the_webhook(
    database: Database,
    stripe_settings: Settings,
    stripe_client_factory: Callable[[], httpx.AsyncClient],
    fake_stripe: FakeStripe,
    constat_calls: list[tuple[uuid.UUID, str]],
) -> None:
    owner = await make_organisation(database)
    constat_id = uuid.uuid4()
    checkout = await _pay_constat(
        database, stripe_settings, owner.organisation_id, owner.user_id, constat_id
    )
    assert (checkout.provider, checkout.completed) == ("stripe", False)
    assert (checkout.amount_ttc_cents, checkout.amount_ht_cents, checkout.vat_cents) == (
        14_400,
        12_000,
        2_400,
    )
    assert constat_calls == []
    (session,) = fake_stripe.checkout_sessions.values()
    assert session["metadata"]["purpose"] == "constat"
    assert session["metadata"]["purpose_id"] == str(constat_id)
    assert checkout.url == session["url"]

    paid = {
        **session,
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": "pi_constat",
    }
    client = stripe_client_factory()
    for event_id, kind in (
        ("evt_c1", "checkout.session.completed"),
        ("evt_c1", "checkout.session.completed"),
        ("evt_c2", "checkout.session.async_payment_succeeded"),
    ):
        payload = event(event_id, kind, paid)
        response = await client.post(
            "/webhooks/stripe", content=payload, headers={"stripe-signature": sign(payload)}
        )
        assert response.status_code == 200
    assert constat_calls == [(constat_id, "pi_constat")]


async def test_a_constat_paid_with_the_development_provider_calls_its_handler_at_once(
    database: Database, settings: Settings, constat_calls: list[tuple[uuid.UUID, str]]
) -> None:
    owner = await make_organisation(database)
    constat_id = uuid.uuid4()
    checkout = await _pay_constat(
        database, settings, owner.organisation_id, owner.user_id, constat_id
    )
    assert (checkout.provider, checkout.completed) == ("development", True)
    assert len(constat_calls) == 1 and constat_calls[0][0] == constat_id
    assert constat_calls[0][1].startswith("dev_")


async def test_payments_for_unknown_purposes_or_amounts_are_refused(
    database: Database, settings: Settings
) -> None:
    owner = await make_organisation(database)
    provider = DevelopmentProvider()
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as session:
        arguments: dict[str, Any] = {
            "session": session,
            "organisation_id": owner.organisation_id,
            "purpose_id": uuid.uuid4(),
            "description": "x",
            "base_url": "http://testserver",
            "actor_user_id": owner.user_id,
        }
        with pytest.raises(payments.UnknownPurpose):
            await provider.checkout_payment(
                purpose="nobody-handles-this", amount_ttc_cents=100, **arguments
            )
        for amount in (0, -5, 10_000_001):
            with pytest.raises(Exception, match="cents"):
                await provider.checkout_payment(
                    purpose="credits-x", amount_ttc_cents=amount, **arguments
                )
    with pytest.raises(ValueError):
        register_payment_handler("credits", lambda **_: None)  # type: ignore[arg-type,return-value]


async def test_refunds_on_rejection_follow_the_plan_and_default_to_none(
    database: Database,
) -> None:
    owner = await make_organisation(database)
    scope = TenantScope(organisation_id=owner.organisation_id)
    async with database.unit_of_work(scope) as session:
        assert (
            await refund_on_rejection(session=session, organisation_id=owner.organisation_id)
            is False
        )
        now = datetime.now(UTC)
        await apply_state(
            session=session,
            organisation_id=owner.organisation_id,
            state=SubscriptionState(
                "development", "dev_sub_r", "business", "active", now, now + timedelta(days=30)
            ),
        )
        assert (
            await refund_on_rejection(session=session, organisation_id=owner.organisation_id)
            is False
        )
