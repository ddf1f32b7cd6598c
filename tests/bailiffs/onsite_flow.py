# ruff: noqa: E501  (GraphQL operations kept on one line)
"""On-site constat requests through GraphQL: the operations, a requester and two offices' clerks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
from tests.bailiffs.helpers import LYON, make_office
from tests.factories import log_in, make_organisation
from tests.ledger_helpers import fund

from probant_platform.db import Database, utcnow

REQUEST = """
mutation($o: ID!, $d: [Date!]) { requestOnSiteConstat(officeId: $o,
  address: {street: "8 rue des Lilas", postcode: "75020", city: "Paris", details: "Bâtiment B"},
  description: "Nuisances sonores d'un chantier voisin.", preferredDates: $d) {
  __typename ... on OnSiteRequestPayload { request { id status preferredDates office { name } } }
  ... on InvalidInput { field } ... on Error { message } } }"""


QUOTE = "mutation($i: OnSiteQuoteInput!) { quoteOnSiteConstat(input: $i) { __typename ... on OnSiteRequestPayload { request { status quoteTtcCents quote appointmentAt } } ... on InvalidState { status } ... on InvalidInput { field } ... on Error { message } } }"


ANSWER = "mutation($r: ID!, $a: Boolean!) { answerOnSiteQuote(requestId: $r, accept: $a) { __typename ... on OnSiteRequestPayload { request { status } } ... on InvalidState { status } ... on Error { message } } }"


async def setup_on_site(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, httpx.AsyncClient, object, object]:
    office = await make_office(database, name="Étude Durand")
    other = await make_office(
        database, name="Étude Rousseau", city="Lyon", postcode="69002", at=LYON
    )
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    requester, clerk, other_clerk = client_factory(), client_factory(), client_factory()
    await log_in(requester, owner)
    await log_in(clerk, office.clerk)
    await log_in(other_clerk, other.clerk)
    return requester, clerk, other_clerk, office, owner


def quote_input(request_id: str, **overrides: object) -> dict[str, object]:
    now = utcnow()
    values: dict[str, object] = {
        "requestId": request_id,
        "amountTtcCents": 35_000,
        "validUntil": (now + timedelta(days=7)).isoformat(),
        "appointmentAt": (now + timedelta(days=3))
        .replace(hour=9, minute=0, second=0, microsecond=0)
        .isoformat(),
        "message": "Nous pouvons passer mardi matin.",
    }
    values.update(overrides)
    return {"i": values}
