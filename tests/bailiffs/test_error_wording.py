# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Error messages name fields as the API spells them and statuses as words, in both languages."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from tests.bailiffs.helpers import IDENTITY, ORDER, make_office, sealed_deposit
from tests.factories import gql, log_in, make_organisation, set_language
from tests.ledger_helpers import fund

from probant_platform.db import Database

PAY = "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename ... on InvalidState { status } ... on Error { message } } }"


async def test_fields_are_camel_case_and_statuses_are_words(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    client = client_factory()
    await log_in(client, owner)
    deposit = await sealed_deposit(client)

    incomplete = (
        await gql(
            client,
            ORDER,
            {
                "i": {
                    "depositId": deposit["id"],
                    "requester": {**IDENTITY, "companyName": "", "rcsCity": " "},
                    "expose": "x",
                }
            },
        )
    )["orderConstat"]
    order = (
        await gql(
            client,
            ORDER,
            {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "Litige."}},
        )
    )["orderConstat"]["order"]
    await gql(client, PAY, {"o": order["id"]})  # the development provider pays at once
    paid_twice = (await gql(client, PAY, {"o": order["id"]}))["payConstatOrder"]
    await set_language(database, owner, "en")
    english = (await gql(client, PAY, {"o": order["id"]}))["payConstatOrder"]

    assert incomplete["missingFields"] == ["companyName", "rcsCity"]
    assert incomplete["message"] == (
        "Complétez l'identité juridique du requérant : companyName, rcsCity."
    )
    assert paid_twice["__typename"] == "InvalidState"
    assert paid_twice["status"] == "AWAITING_VALIDATION"  # the code stays machine-readable
    assert paid_twice["message"] == (
        "Cette action n'est pas possible dans l'état actuel (en attente de validation)."
    )
    assert english["message"] == (
        "This action is not possible in the current state (awaiting validation)."
    )


SIREN_ORDER = "mutation($i: OrderConstatInput!) { orderConstat(input: $i) { __typename ... on ConstatOrderPayload { order { requester { siren rcsNumber } } } ... on LegalIdentityIncomplete { missingFields } } }"


async def test_the_legal_number_is_called_siren_as_on_the_organisation(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    client = client_factory()
    await log_in(client, owner)
    deposit = await sealed_deposit(client)
    identity = {k: v for k, v in IDENTITY.items() if k != "rcsNumber"}

    without = await gql(
        client,
        SIREN_ORDER,
        {"i": {"depositId": deposit["id"], "requester": identity, "expose": "x"}},
    )
    ordered = await gql(
        client,
        SIREN_ORDER,
        {
            "i": {
                "depositId": deposit["id"],
                "requester": {**identity, "siren": "732 829 320"},
                "expose": "x",
            }
        },
    )
    saved = await gql(client, "{ organisation { legalIdentity { siren } } }")

    assert without["orderConstat"]["missingFields"] == ["siren"]
    assert ordered["orderConstat"]["order"]["requester"] == {
        "siren": "732829320",
        "rcsNumber": "732829320",  # deprecated, same value
    }
    assert saved["organisation"]["legalIdentity"]["siren"] == "732829320"
