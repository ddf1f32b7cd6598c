"""Credits through GraphQL, as an admin and as a sub-account see them."""

from __future__ import annotations

import httpx
from strawberry.relay import to_base64
from tests.factories import Role, add_member, gql, log_in, make_organisation
from tests.ledger_helpers import TRANSFER, fund, ledger_snapshot

from probant_platform.db import Database


async def test_an_admin_allots_credits_and_the_member_sees_them(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    client_account = await add_member(database, owner, role=Role.CLIENT)
    await fund(database, owner.organisation_id, 12)
    admin, sub = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await log_in(sub, client_account)
    member_id = to_base64("Member", str(client_account.membership_id))

    moved = await gql(admin, TRANSFER, {"member": member_id, "amount": 5, "key": "k1"})
    replay = await gql(admin, TRANSFER, {"member": member_id, "amount": 5, "key": "k1"})

    assert moved["transferCredits"] == {
        "__typename": "CreditsMoved",
        "credits": 5,
        "replayed": False,
        "organisationBalance": 7,
        "memberBalance": 5,
    }
    assert replay["transferCredits"]["replayed"] is True
    assert (await gql(sub, "{ creditBalance }"))["creditBalance"] == 5
    assert (await gql(admin, "{ creditBalance }"))["creditBalance"] == 7
    history = "{ ledgerEntries(kind: TRANSFER) { edges { node { amount reference } } } }"
    lines = (await gql(admin, history))["ledgerEntries"]["edges"]
    assert [e["node"] for e in lines] == [{"amount": -5, "reference": client_account.email}]


async def test_transferring_more_than_the_wallet_holds_is_refused(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 2)
    await log_in(client, owner)
    member_id = to_base64("Member", str(colleague.membership_id))
    before = await ledger_snapshot(database, owner.organisation_id)
    data = await gql(client, TRANSFER, {"member": member_id, "amount": 3, "key": "k2"})
    assert data["transferCredits"]["__typename"] == "InsufficientCredits"
    assert (data["transferCredits"]["needed"], data["transferCredits"]["balance"]) == (3, 2)
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 2
    assert await ledger_snapshot(database, owner.organisation_id) == before


async def test_a_client_sub_account_cannot_transfer(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    sub = await add_member(database, owner, role=Role.CLIENT)
    await fund(database, owner.organisation_id, 5)
    await log_in(client, sub)
    member_id = to_base64("Member", str(sub.membership_id))
    before = await ledger_snapshot(database, owner.organisation_id)
    data = await gql(client, TRANSFER, {"member": member_id, "amount": 1, "key": "k3"})
    assert data["transferCredits"]["__typename"] == "NotAllowed"
    assert await ledger_snapshot(database, owner.organisation_id) == before


async def test_an_admin_cannot_transfer_to_another_organisations_member(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    stranger = await make_organisation(database)
    await fund(database, owner.organisation_id, 5)
    await log_in(client, owner)
    member_id = to_base64("Member", str(stranger.membership_id))
    before = [await ledger_snapshot(database, o.organisation_id) for o in (owner, stranger)]
    data = await gql(client, TRANSFER, {"member": member_id, "amount": 1, "key": "k4"})
    assert data["transferCredits"]["__typename"] == "NotFound"
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 5
    assert [await ledger_snapshot(database, o.organisation_id) for o in (owner, stranger)] == before


async def test_the_quote_shows_the_price_and_the_balance(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await fund(database, owner.organisation_id, 3)
    await log_in(client, owner)
    data = await gql(client, "{ depositQuoteFor(photos: 4) { credits rule description balance } }")
    assert data["depositQuoteFor"] == {
        "credits": 1,
        "rule": "PER_DEPOSIT",
        "description": "1 crédit par dépôt.",
        "balance": 3,
    }


async def test_the_history_shows_running_balances_and_exports_csv(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    await fund(database, owner.organisation_id, 10)
    await log_in(client, owner)
    member_id = to_base64("Member", str(colleague.membership_id))
    await gql(client, TRANSFER, {"member": member_id, "amount": 4, "key": "h1"})

    history = await gql(client, "{ ledgerEntries { edges { node { kind amount balanceAfter } } } }")
    only = await gql(client, "{ ledgerEntries(kind: TRANSFER) { edges { node { kind } } } }")
    csv_text = (await gql(client, "{ ledgerEntriesCsv }"))["ledgerEntriesCsv"]

    assert [e["node"] for e in history["ledgerEntries"]["edges"]] == [
        {"kind": "TRANSFER", "amount": -4, "balanceAfter": 6},
        {"kind": "ADJUSTMENT", "amount": 10, "balanceAfter": 10},
    ]
    assert [e["node"]["kind"] for e in only["ledgerEntries"]["edges"]] == ["TRANSFER"]
    lines = csv_text.strip().splitlines()
    assert lines[0] == "date,kind,amount,balance,reference,reason"
    assert [line.split(",")[1:4] for line in lines[1:]] == [
        ["ADJUSTMENT", "10", "10"],
        ["TRANSFER", "-4", "6"],
    ]
