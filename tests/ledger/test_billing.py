# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The catalogue, VAT that adds up, and buying a pack with the development provider."""

from __future__ import annotations

import httpx
import pytest
from tests.factories import Role, add_member, gql, log_in, make_organisation

from probant_platform.billing.catalogue import vat_split
from probant_platform.db import Database

BUY = """mutation($p: String!) { buyCredits(packId: $p) {
  __typename ... on CheckoutPayload { provider completed label price { ttcCents htCents vatCents } } ... on Error { message } } }"""


@pytest.mark.parametrize("ttc", [990, 5_640, 10_680, 23_700, 39_900, 99_000, 1, 7])
def test_ht_plus_vat_is_exactly_ttc(ttc: int) -> None:
    ht, vat = vat_split(ttc)
    assert ht + vat == ttc
    assert abs(vat - ttc * 20 / 120) <= 1


async def test_the_unit_price_and_plans_match_the_product_rules(
    database: Database, client: httpx.AsyncClient
) -> None:
    assert vat_split(990) == (825, 165)  # 9.90 € TTC, 8.25 € HT
    await log_in(client, await make_organisation(database))
    found = (
        await gql(
            client,
            "{ catalogue { packs { credits price { ttcCents } } plans { name monthlyCredits seats } } }",
        )
    )["catalogue"]
    per_credit = [p["price"]["ttcCents"] / p["credits"] for p in found["packs"]]
    assert [p["credits"] for p in found["packs"]] == [1, 6, 12, 30]
    assert per_credit == sorted(per_credit, reverse=True)  # degressive
    assert {(p["name"], p["monthlyCredits"], p["seats"]) for p in found["plans"]} == {
        ("Premium", 60, 5),
        ("Business", 180, 20),
    }


async def test_an_owner_buys_a_pack_with_the_development_provider(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await log_in(client, owner)
    catalogue = await gql(
        client, "{ catalogue { paymentProviderLabel packs { id credits price { ttcCents } } } }"
    )
    assert catalogue["catalogue"]["paymentProviderLabel"] == "development payment — no money moved"
    bought = await gql(client, BUY, {"p": "pack-12"})
    assert bought["buyCredits"] == {
        "__typename": "CheckoutPayload",
        "provider": "development",
        "completed": True,
        "label": "development payment — no money moved",
        "price": {"ttcCents": 10_680, "htCents": 8_900, "vatCents": 1_780},
    }
    assert (await gql(client, "{ creditBalance }"))["creditBalance"] == 12
    history = await gql(client, "{ ledgerEntries { edges { node { kind reference } } } }")
    assert history["ledgerEntries"]["edges"][0]["node"]["kind"] == "PURCHASE"


async def test_a_client_sub_account_cannot_buy_and_unknown_packs_are_refused(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    sub = await add_member(database, owner, role=Role.CLIENT)
    admin, other = client_factory(), client_factory()  # type: ignore[operator]
    await log_in(admin, owner)
    await log_in(other, sub)
    assert (await gql(other, BUY, {"p": "pack-6"}))["buyCredits"]["__typename"] == "NotAllowed"
    assert (await gql(admin, BUY, {"p": "pack-999"}))["buyCredits"]["__typename"] == "InvalidInput"
    assert (await gql(admin, "{ creditBalance }"))["creditBalance"] == 0
    assert (await gql(admin, "{ receipts { credits } }"))["receipts"] == []
    assert (await gql(admin, "{ ledgerEntries { edges { node { kind } } } }"))["ledgerEntries"][
        "edges"
    ] == []
