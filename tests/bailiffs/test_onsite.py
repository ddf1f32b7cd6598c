# ruff: noqa: E501  (GraphQL operations kept on one line)
"""On-site constat requests: free to ask, quoted by the office, accepted or declined, with an
email at each step; an office sees only the requests addressed to it."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy import update
from tests.bailiffs.helpers import Jobs
from tests.bailiffs.onsite_flow import ANSWER, QUOTE, REQUEST, quote_input, setup_on_site
from tests.factories import gql

from probant_platform.bailiffs.models import OnSiteRequest
from probant_platform.db import Database, TenantScope, utcnow

LIST = "{ onSiteRequests { edges { node { id status requesterName } } } }"


async def test_a_request_is_quoted_accepted_and_everyone_is_told(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    requester, clerk, other_clerk, office, owner = await setup_on_site(database, client_factory)
    jobs = await Jobs.watch(database)
    soon = (utcnow() + timedelta(days=2)).date().isoformat()

    asked = await gql(requester, REQUEST, {"o": office.node_id, "d": [soon]})

    request = asked["requestOnSiteConstat"]["request"]
    assert request["status"] == "REQUESTED" and request["preferredDates"] == [soon]
    assert (await gql(requester, "{ creditBalance }"))["creditBalance"] == 3  # free
    await jobs.run()
    office_mail = next(
        m for m in await jobs.emails(to=office.clerk.email) if m["template"] == "onsite_requested"
    )
    assert "Nuisances sonores" in office_mail["context"]["description"]
    assert [e["node"]["id"] for e in (await gql(clerk, LIST))["onSiteRequests"]["edges"]] == [
        request["id"]
    ]
    assert (await gql(other_clerk, LIST))["onSiteRequests"]["edges"] == []

    stranger = await gql(other_clerk, QUOTE, quote_input(request["id"]))
    quoted = await gql(clerk, QUOTE, quote_input(request["id"]))

    assert stranger["quoteOnSiteConstat"]["__typename"] == "NotFound"
    assert quoted["quoteOnSiteConstat"]["request"]["status"] == "QUOTED"
    assert quoted["quoteOnSiteConstat"]["request"]["quote"] == "350,00 €"
    quote_mail = next(
        m for m in await jobs.emails(to=owner.email) if m["template"] == "onsite_quoted"
    )
    assert quote_mail["context"]["amount"] == "350,00 €"

    accepted = await gql(requester, ANSWER, {"r": request["id"], "a": True})
    await jobs.run()

    assert accepted["answerOnSiteQuote"]["request"]["status"] == "ACCEPTED"
    templates = [m["template"] for m in await jobs.emails(to=office.clerk.email)]
    assert "onsite_accepted" in templates
    late = await gql(clerk, QUOTE, quote_input(request["id"]))
    assert late["quoteOnSiteConstat"] == {
        "__typename": "InvalidState",
        "status": "ACCEPTED",
        "message": late["quoteOnSiteConstat"]["message"],
    }


async def test_a_quote_can_be_declined_or_expire(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    requester, clerk, _, office, owner = await setup_on_site(database, client_factory)
    first = (await gql(requester, REQUEST, {"o": office.node_id}))["requestOnSiteConstat"][
        "request"
    ]
    second = (await gql(requester, REQUEST, {"o": office.node_id}))["requestOnSiteConstat"][
        "request"
    ]
    await gql(clerk, QUOTE, quote_input(first["id"]))
    await gql(clerk, QUOTE, quote_input(second["id"]))
    async with database.unit_of_work(TenantScope(organisation_id=owner.organisation_id)) as session:
        await session.execute(
            update(OnSiteRequest)
            .where(
                OnSiteRequest.organisation_id == owner.organisation_id,
                OnSiteRequest.id == _uuid(second["id"]),
            )
            .values(quote_valid_until=utcnow() - timedelta(minutes=1))
        )

    declined = await gql(requester, ANSWER, {"r": first["id"], "a": False})
    expired = await gql(requester, ANSWER, {"r": second["id"], "a": True})

    assert declined["answerOnSiteQuote"]["request"]["status"] == "DECLINED"
    assert expired["answerOnSiteQuote"]["__typename"] == "QuoteExpired"


async def test_bad_requests_and_quotes_are_refused(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    requester, clerk, _, office, _ = await setup_on_site(database, client_factory)
    past = (utcnow() - timedelta(days=1)).date().isoformat()

    in_the_past = await gql(requester, REQUEST, {"o": office.node_id, "d": [past]})
    no_office = await gql(requester, REQUEST, {"o": "QmFpbGlmZk9mZmljZTpub3Bl"})
    request = (await gql(requester, REQUEST, {"o": office.node_id}))["requestOnSiteConstat"][
        "request"
    ]
    free = await gql(clerk, QUOTE, quote_input(request["id"], amountTtcCents=0))
    stale = await gql(
        clerk,
        QUOTE,
        quote_input(request["id"], validUntil=(utcnow() - timedelta(hours=1)).isoformat()),
    )
    refused = await gql(
        clerk,
        'mutation($r: ID!) { refuseOnSiteConstat(requestId: $r, message: "Hors de notre ressort.") { __typename ... on OnSiteRequestPayload { request { status officeMessage } } } }',
        {"r": request["id"]},
    )
    answered = await gql(requester, ANSWER, {"r": request["id"], "a": True})

    assert in_the_past["requestOnSiteConstat"]["field"] == "preferredDates"
    assert no_office["requestOnSiteConstat"]["__typename"] == "NotFound"
    assert free["quoteOnSiteConstat"]["field"] == "amountTtcCents"
    assert stale["quoteOnSiteConstat"]["field"] == "validUntil"
    assert refused["refuseOnSiteConstat"]["request"] == {
        "status": "REFUSED",
        "officeMessage": "Hors de notre ressort.",
    }
    assert answered["answerOnSiteQuote"]["__typename"] == "InvalidState"


def _uuid(global_id: str) -> uuid.UUID:
    return uuid.UUID(base64.b64decode(global_id).decode().split(":", 1)[1])
