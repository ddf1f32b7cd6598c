# ruff: noqa: E501  (GraphQL operations kept on one line)
"""The directory: nearest first with distances, search, each tenant's choice, proposals,
operators onboarding an office, and what an office may change of its own entry."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from tests.bailiffs.helpers import LYON, PARIS, Jobs, make_office
from tests.factories import (
    MemberInfo,
    Role,
    add_member,
    gql,
    log_in,
    make_organisation,
    unique_email,
)

from probant_platform.bailiffs.geo import Point, bounding_box, haversine_km, postcode_point
from probant_platform.bailiffs.words import date_in_words, euros, number_in_words, time_in_words
from probant_platform.db import Database

NEAR = "query($p: GeoPointInput, $s: String, $f: Int, $a: String) { bailiffOffices(near: $p, search: $s, first: $f, after: $a) { edges { cursor node { name city distanceKm servesLocation acceptsDeposits constatPrice } } pageInfo { hasNextPage endCursor } } }"
MARSEILLE = (43.2965, 5.3698)


async def _member(database: Database, client: httpx.AsyncClient) -> object:
    owner = await make_organisation(database)
    await log_in(client, owner)
    return owner


async def test_offices_come_nearest_first_with_their_distance(
    database: Database, client: httpx.AsyncClient
) -> None:
    await make_office(database, name="Étude Lyon", city="Lyon", postcode="69002", at=LYON)
    await make_office(database, name="Étude Paris", at=PARIS, price_cents=12_000)
    await make_office(
        database,
        name="Étude Marseille",
        city="Marseille",
        postcode="13001",
        at=MARSEILLE,
        radius_km=30,
    )
    await _member(database, client)

    found = await gql(
        client, NEAR, {"p": {"latitude": 45.75, "longitude": 4.85}, "s": "Étude ", "f": 50}
    )

    names = [e["node"]["name"] for e in found["bailiffOffices"]["edges"]]
    mine = [n for n in names if n in ("Étude Lyon", "Étude Paris", "Étude Marseille")]
    assert mine == ["Étude Lyon", "Étude Marseille", "Étude Paris"]
    nodes = {e["node"]["name"]: e["node"] for e in found["bailiffOffices"]["edges"]}
    assert nodes["Étude Lyon"]["distanceKm"] < 2 and nodes["Étude Lyon"]["servesLocation"]
    assert 270 < nodes["Étude Marseille"]["distanceKm"] < 290
    assert not nodes["Étude Marseille"]["servesLocation"]
    assert 385 < nodes["Étude Paris"]["distanceKm"] < 400
    assert nodes["Étude Paris"]["constatPrice"] == "120,00 €"
    distances = [e["node"]["distanceKm"] for e in found["bailiffOffices"]["edges"]]
    assert distances == sorted(distances)


async def test_the_directory_pages_and_searches_by_name_or_city(
    database: Database, client: httpx.AsyncClient
) -> None:
    for n in range(5):
        await make_office(
            database,
            name=f"Étude Pagination {n}",
            city="Bordeaux",
            postcode="33000",
            at=(44.84 + n / 100, -0.58),
        )
    await _member(database, client)
    origin = {"latitude": 44.84, "longitude": -0.58}

    first = await gql(client, NEAR, {"p": origin, "s": "Pagination", "f": 2})
    rest = await gql(
        client,
        NEAR,
        {
            "p": origin,
            "s": "Pagination",
            "f": 10,
            "a": first["bailiffOffices"]["pageInfo"]["endCursor"],
        },
    )
    by_city = await gql(client, NEAR, {"s": "bordeaux", "f": 10})

    assert [e["node"]["name"] for e in first["bailiffOffices"]["edges"]] == [
        "Étude Pagination 0",
        "Étude Pagination 1",
    ]
    assert first["bailiffOffices"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["name"] for e in rest["bailiffOffices"]["edges"]] == [
        f"Étude Pagination {n}" for n in (2, 3, 4)
    ]
    assert rest["bailiffOffices"]["pageInfo"]["hasNextPage"] is False
    assert sorted(e["node"]["name"] for e in by_city["bailiffOffices"]["edges"]) == [
        f"Étude Pagination {n}" for n in range(5)
    ]
    assert all(e["node"]["distanceKm"] is None for e in by_city["bailiffOffices"]["edges"])
    assert (await gql(client, NEAR, {"p": {"latitude": 95.0, "longitude": 0.0}}))["bailiffOffices"][
        "edges"
    ] == []
    assert (await gql(client, NEAR, {"s": "%_\\"}))["bailiffOffices"]["edges"] == []


CHOOSE = "mutation($c: OfficeChoice!, $o: ID) { chooseBailiffOffice(choice: $c, officeId: $o) { __typename ... on OfficeChosen { officeChoice preferredOffice { name } } ... on Error { message } } }"


async def test_an_organisation_chooses_its_office_or_the_nearest(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    lyon = await make_office(database, name="Étude de Lyon", city="Lyon", postcode="69002", at=LYON)
    owner = await make_organisation(database)
    collaborator = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, colleague = client_factory(), client_factory()
    await log_in(admin, owner)
    await log_in(colleague, collaborator)

    chosen = await gql(admin, CHOOSE, {"c": "PREFERRED", "o": lyon.node_id})
    refused = await gql(colleague, CHOOSE, {"c": "NEAREST"})
    missing = await gql(admin, CHOOSE, {"c": "PREFERRED"})
    unknown = await gql(admin, CHOOSE, {"c": "PREFERRED", "o": "Zm9vOmJhcg=="})

    assert chosen["chooseBailiffOffice"] == {
        "__typename": "OfficeChosen",
        "officeChoice": "PREFERRED",
        "preferredOffice": {"name": "Étude de Lyon"},
    }
    assert refused["chooseBailiffOffice"]["__typename"] == "NotAllowed"
    assert missing["chooseBailiffOffice"]["__typename"] == "InvalidInput"
    assert unknown["chooseBailiffOffice"]["__typename"] == "NotFound"
    seen = await gql(admin, "{ organisation { officeChoice preferredOfficeId } }")
    assert seen["organisation"]["officeChoice"] == "PREFERRED"
    back = await gql(admin, CHOOSE, {"c": "NEAREST"})
    assert back["chooseBailiffOffice"]["preferredOffice"] is None


async def test_a_proposed_office_is_recorded_and_emailed_to_the_operators(
    database: Database, client: httpx.AsyncClient, operator: MemberInfo
) -> None:
    jobs = await Jobs.watch(database)
    await _member(database, client)

    proposed = await gql(
        client,
        'mutation { proposeBailiffOffice(name: "Étude Petit", city: "Nantes") { __typename ... on OfficeProposed { message } } }',
    )
    empty = await gql(
        client,
        'mutation { proposeBailiffOffice(name: " ", city: "Nantes") { __typename ... on InvalidInput { field } } }',
    )

    assert proposed["proposeBailiffOffice"]["__typename"] == "OfficeProposed"
    assert empty["proposeBailiffOffice"] == {"__typename": "InvalidInput", "field": "name"}
    mails = await jobs.emails(to=operator.email)
    assert mails and mails[0]["template"] == "office_proposed"
    assert (
        mails[0]["context"]["office"] == "Étude Petit" and mails[0]["context"]["city"] == "Nantes"
    )


CREATE = """
mutation($i: BailiffOfficeInput!) { createBailiffOffice(input: $i) { __typename
  ... on BailiffOfficeCreated { directoryEntry { name latitude longitude acceptsDeposits serviceRadiusKm constatPriceTtcCents } }
  ... on InvalidInput { field } ... on Error { message } } }"""


async def test_operators_onboard_an_office_with_its_directory_entry(
    client_factory: Callable[[], httpx.AsyncClient], operator: MemberInfo
) -> None:
    ops = client_factory()
    await log_in(ops, operator)
    base = {
        "name": "Étude Garnier",
        "street": "2 quai",
        "postcode": "44000",
        "city": "Nantes",
        "clerkEmail": unique_email("clerc"),
    }

    by_postcode = await gql(ops, CREATE, {"i": base})
    explicit = await gql(
        ops,
        CREATE,
        {
            "i": {
                **base,
                "clerkEmail": unique_email("c"),
                "directory": {
                    "latitude": 47.2184,
                    "longitude": -1.5536,
                    "serviceRadiusKm": 80,
                    "acceptsDeposits": False,
                    "constatPriceTtcCents": 20_000,
                },
            }
        },
    )
    bad = await gql(
        ops,
        CREATE,
        {
            "i": {
                **base,
                "clerkEmail": unique_email("c"),
                "directory": {"latitude": 123.0, "longitude": 2.0},
            }
        },
    )
    abroad = await gql(
        ops, CREATE, {"i": {**base, "clerkEmail": unique_email("c"), "postcode": "B-1000"}}
    )

    assert by_postcode["createBailiffOffice"]["__typename"] == "BailiffOfficeCreated", by_postcode
    entry = by_postcode["createBailiffOffice"]["directoryEntry"]
    assert abs(entry["latitude"] - 47.218) < 0.01 and entry["acceptsDeposits"] is True
    assert entry["constatPriceTtcCents"] == 18_000  # the platform default
    assert explicit["createBailiffOffice"]["directoryEntry"]["serviceRadiusKm"] == 80
    assert explicit["createBailiffOffice"]["directoryEntry"]["constatPriceTtcCents"] == 20_000
    assert bad["createBailiffOffice"]["field"] == "latitude"
    assert abroad["createBailiffOffice"]["__typename"] == "InvalidInput"


UPDATE = "mutation($i: BailiffOfficeSettingsInput!, $o: ID) { updateBailiffOffice(input: $i, officeId: $o) { __typename ... on OfficeUpdated { office { acceptsDeposits serviceRadiusKm } } ... on InvalidInput { field } } }"


async def test_a_clerk_changes_only_their_own_offices_entry(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    mine = await make_office(database, name="Étude A")
    other = await make_office(database, name="Étude B", city="Lyon", postcode="69002", at=LYON)
    clerk = client_factory()
    await log_in(clerk, mine.clerk)

    closed = await gql(clerk, UPDATE, {"i": {"acceptsDeposits": False, "serviceRadiusKm": 30}})
    theirs = await gql(clerk, UPDATE, {"i": {"acceptsDeposits": False}, "o": other.node_id})
    wrong = await gql(clerk, UPDATE, {"i": {"serviceRadiusKm": 0}})

    assert closed["updateBailiffOffice"]["office"] == {
        "acceptsDeposits": False,
        "serviceRadiusKm": 30,
    }
    assert theirs["updateBailiffOffice"]["__typename"] == "NotAllowed"
    untouched = await gql(
        clerk, 'query { bailiffOffices(search: "Étude B") { edges { node { acceptsDeposits } } } }'
    )
    assert [e["node"] for e in untouched["bailiffOffices"]["edges"]] == [{"acceptsDeposits": True}]
    assert wrong["updateBailiffOffice"] == {
        "__typename": "InvalidInput",
        "field": "serviceRadiusKm",
    }


def test_distances_boxes_and_postcodes() -> None:
    paris, lyon = Point(*PARIS), Point(*LYON)
    assert 390 < haversine_km(paris, lyon) < 393
    box = bounding_box(paris, 100)
    assert box.min_latitude < 48.0 < box.max_latitude and box.min_longitude is not None
    assert bounding_box(Point(89.5, 0), 100).min_longitude is None  # near the pole: every longitude
    assert bounding_box(Point(0, 179.9), 100).min_longitude is None  # across the antimeridian
    assert postcode_point("75011") == Point(48.857, 2.352)
    assert postcode_point("20000") is not None and postcode_point("97400") is not None
    assert postcode_point("9") is None and postcode_point("ABCDE") is None


def test_dates_and_amounts_in_french_words() -> None:
    from datetime import UTC, datetime

    assert number_in_words(2026) == "deux mille vingt-six"
    assert number_in_words(71) == "soixante et onze" and number_in_words(80) == "quatre-vingts"
    assert number_in_words(91) == "quatre-vingt-onze" and number_in_words(21) == "vingt et un"
    assert (
        number_in_words(200) == "deux cents"
        and number_in_words(1999) == "mille neuf cent quatre-vingt-dix-neuf"
    )
    moment = datetime(2026, 11, 1, 13, 5, tzinfo=UTC)  # 14:05 in Paris
    assert date_in_words(moment) == "l'an deux mille vingt-six, le premier novembre"
    assert time_in_words(moment) == "à quatorze heures cinq"
    assert euros(1_234_500) == "12\u202f345,00 €"
