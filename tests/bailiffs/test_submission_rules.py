# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Every refusal of a submission is typed and writes nothing; the queue flags what is
overdue; only OWNER/ADMIN order a PV."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from tests.bailiffs.helpers import (
    IDENTITY,
    LYON,
    ORDER,
    choose_office,
    make_office,
    sealed_deposit,
    submit,
)
from tests.evidence.capture_flow import started_draft
from tests.factories import Role, add_member, gql, gql_raw, log_in, make_organisation
from tests.ledger_helpers import fund

from probant_graphql.core.ids import decode_id
from probant_platform.bailiffs import queries as bailiff_queries
from probant_platform.bailiffs import submissions
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.evidence import deposits

STATE = "{ creditBalance deposits { edges { node { status submission { id } } } } }"


async def test_refusals_are_typed_and_change_nothing(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    office = await make_office(database, accepts_deposits=False)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 2)
    client = client_factory()
    await log_in(client, owner)
    draft = (await started_draft(client))["deposit"]
    assert (await submit(client, draft["id"]))["__typename"] == "NotSealed"

    deposit = await sealed_deposit(client)  # 1 credit left
    await gql(
        client,
        "mutation($o: ID!) { chooseBailiffOffice(choice: PREFERRED, officeId: $o) { __typename } }",
        {"o": office.node_id},
    )
    closed = await submit(client, deposit["id"])
    assert closed["__typename"] == "OfficeNotAccepting"
    await gql(client, "mutation { chooseBailiffOffice(choice: NEAREST) { __typename } }")
    await make_office(database, name="Étude Lyon", city="Lyon", postcode="69002", at=LYON)
    assert (await gql(client, STATE))["creditBalance"] == 1  # the refusal debited nothing

    spent = await submit(client, deposit["id"])
    assert spent["__typename"] == "SubmissionPayload"
    assert spent["submission"]["office"]["name"] != office.name  # the nearest *accepting* one
    again = await submit(client, deposit["id"])
    assert again["__typename"] == "AlreadySubmitted"
    assert (await gql(client, STATE))["creditBalance"] == 0

    unknown = await submit(client, "RGVwb3NpdDpub3BlCg==")
    assert unknown["__typename"] == "NotFound"


async def test_without_credits_nothing_is_submitted(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 1)
    client = client_factory()
    await log_in(client, owner)
    deposit = await sealed_deposit(client)  # the last credit

    refused = await submit(client, deposit["id"])

    assert refused == {
        "__typename": "InsufficientCredits",
        "needed": 1,
        "balance": 0,
        "message": refused["message"],
    }
    state = await gql(client, STATE)
    assert state["creditBalance"] == 0
    assert state["deposits"]["edges"][0]["node"] == {"status": "SEALED", "submission": None}


async def test_a_collaborator_submits_their_own_deposit_from_their_wallet(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    member = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 2, membership_id=member.membership_id)
    client = client_factory()
    await log_in(client, member)
    deposit = await sealed_deposit(client)

    result = await submit(client, deposit["id"])

    assert result["__typename"] == "SubmissionPayload"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 0


QUEUE = "query($f: ReviewQueueFilter) { reviewQueue(filter: $f) { edges { node { id overdue status } } } }"


async def test_the_queue_flags_and_filters_overdue_submissions(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office = await make_office(database)
    clerk = client_factory()
    await log_in(clerk, office.clerk)
    ids = []
    for n in range(3):  # three tenants
        owner = await make_organisation(database)
        await fund(database, owner.organisation_id, 2)
        client = client_factory()
        await log_in(client, owner)
        deposit = await sealed_deposit(client)
        if n > 0:
            submitted = (await submit(client, deposit["id"], office.node_id))["submission"]
            ids.append((submitted["id"], owner.organisation_id))
            continue
        # Due in one hour (the shortest review window the database accepts): submitted through
        # the real code; the queue is then read three hours later (below).
        await choose_office(client, office.node_id)
        async with database.unit_of_work(
            TenantScope(organisation_id=owner.organisation_id, user_id=owner.user_id)
        ) as session:
            await submissions.submit_deposit(
                session=session,
                author=deposits.Author(owner.organisation_id, owner.membership_id, True),
                user_id=owner.user_id,
                deposit_id=uuid.UUID(str(decode_id(deposit["id"], "Deposit"))),
                review_hours=1,
            )
        state = (await gql(client, STATE))["deposits"]["edges"][0]["node"]
        ids.append((state["submission"]["id"], owner.organisation_id))
    late_id, _ = ids[0]
    # Three hours later, by the office's clock: the first is past its hour, the others
    # (24 hours) are not. The database refuses a submission already due when made.
    later = utcnow() + timedelta(hours=3)
    monkeypatch.setattr(bailiff_queries, "utcnow", lambda: later)

    everything = (await gql(clerk, QUEUE))["reviewQueue"]["edges"]
    overdue = (await gql(clerk, QUEUE, {"f": {"overdueOnly": True}}))["reviewQueue"]["edges"]
    due_soon = (
        await gql(clerk, QUEUE, {"f": {"dueBefore": (utcnow() + timedelta(hours=1)).isoformat()}})
    )["reviewQueue"]["edges"]
    decided = (await gql(clerk, QUEUE, {"f": {"statuses": ["ACCEPTED"]}}))["reviewQueue"]["edges"]

    assert everything[0]["node"]["id"] == late_id  # soonest due first
    assert [e["node"]["overdue"] for e in everything] == [True, False, False]
    assert [e["node"]["id"] for e in overdue] == [late_id]
    assert [e["node"]["id"] for e in due_soon] == [late_id]
    assert decided == []


async def test_a_sub_account_cannot_order_a_pv(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    client_member = await add_member(database, owner, role=Role.CLIENT)
    await fund(database, owner.organisation_id, 2, membership_id=client_member.membership_id)
    sub = client_factory()
    await log_in(sub, client_member)
    deposit = await sealed_deposit(sub)

    ordered = await gql(
        sub, ORDER, {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "x"}}
    )
    terms = await gql_raw(
        sub, "query($d: ID!) { constatTerms(depositId: $d) { price } }", {"d": deposit["id"]}
    )
    onsite = await gql(
        sub,
        'mutation { requestOnSiteConstat(officeId: "x", address: {street: "a", postcode: "75001", city: "Paris"}, description: "x") { __typename } }',
    )

    assert ordered["orderConstat"]["__typename"] == "NotAllowed"
    assert terms["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
    assert onsite["requestOnSiteConstat"]["__typename"] == "NotAllowed"


async def test_a_pv_order_needs_the_whole_legal_identity_and_a_sealed_deposit(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    await make_office(database)
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    client = client_factory()
    await log_in(client, owner)
    deposit = await sealed_deposit(client)
    draft = (await started_draft(client))["deposit"]

    incomplete = await gql(
        client,
        ORDER,
        {
            "i": {
                "depositId": deposit["id"],
                "requester": {**IDENTITY, "legalForm": "", "rcsCity": " "},
                "expose": "x",
            }
        },
    )
    bad_siren = await gql(
        client,
        ORDER,
        {
            "i": {
                "depositId": deposit["id"],
                "requester": {**IDENTITY, "rcsNumber": "123456789"},
                "expose": "x",
            }
        },
    )
    no_expose = await gql(
        client, ORDER, {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "  "}}
    )
    from_draft = await gql(
        client, ORDER, {"i": {"depositId": draft["id"], "requester": IDENTITY, "expose": "x"}}
    )
    first = await gql(
        client, ORDER, {"i": {"depositId": deposit["id"], "requester": IDENTITY, "expose": "x"}}
    )
    revised = await gql(
        client,
        ORDER,
        {
            "i": {
                "depositId": deposit["id"],
                "requester": {**IDENTITY, "legalForm": "SAS"},
                "expose": "y",
            }
        },
    )

    assert incomplete["orderConstat"]["missingFields"] == ["legalForm", "rcsCity"]
    assert bad_siren["orderConstat"]["__typename"] == "InvalidSiren"
    assert no_expose["orderConstat"]["__typename"] == "InvalidInput"
    assert from_draft["orderConstat"]["__typename"] == "NotConvertible"
    assert first["orderConstat"]["order"]["id"] == revised["orderConstat"]["order"]["id"]
    saved = await gql(client, "{ organisation { legalIdentity { legalForm } } }")
    assert saved["organisation"]["legalIdentity"]["legalForm"] == "SAS"
    paid = await gql(
        client,
        "mutation($o: ID!) { payConstatOrder(orderId: $o) { __typename } }",
        {"o": first["orderConstat"]["order"]["id"]},
    )
    assert paid["payConstatOrder"]["__typename"] in ("PaymentUnavailable", "ConstatPaymentStarted")
    cancelled = await gql(
        client,
        "mutation($o: ID!) { cancelConstatOrder(orderId: $o) { __typename ... on ConstatOrderPayload { order { status } } } }",
        {"o": first["orderConstat"]["order"]["id"]},
    )
    if paid["payConstatOrder"]["__typename"] == "PaymentUnavailable":
        assert cancelled["cancelConstatOrder"]["order"]["status"] == "CANCELLED"
