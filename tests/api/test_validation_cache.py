"""Documents found valid are not validated again; invalid ones are, every time."""

from __future__ import annotations

import httpx
from tests.factories import gql, gql_raw


async def test_a_valid_document_answers_the_same_the_second_time(
    client: httpx.AsyncClient,
) -> None:
    first = await gql(client, "{ apiVersion }")
    assert await gql(client, "{ apiVersion }") == first


async def test_an_invalid_document_is_refused_every_time_with_its_own_request_id(
    client: httpx.AsyncClient,
) -> None:
    answers = [await gql_raw(client, "{ apiVersion noSuchField }") for _ in range(2)]
    for answer in answers:
        assert answer.get("data") is None
        assert "noSuchField" in answer["errors"][0]["message"]
    ids = {answer["errors"][0]["extensions"].get("requestId") for answer in answers}
    assert len(ids) == 2  # errors are made per request, never shared from a cache


async def test_a_document_valid_once_is_still_refused_when_its_rules_refuse_it(
    client: httpx.AsyncClient,
) -> None:
    # Valid as a query; the same selection as two log-ins in one mutation is refused by
    # a validation rule, whatever was validated before.
    assert (await gql(client, "{ apiVersion }"))["apiVersion"]
    two_log_ins = (
        'mutation { a: logIn(email: "a@example.com", password: "x") { __typename } '
        'b: logIn(email: "b@example.com", password: "x") { __typename } }'
    )
    for _ in range(2):
        refused = await gql_raw(client, two_log_ins)
        assert refused["errors"][0]["extensions"]["code"] == "TOO_MANY_AUTHENTICATION_FIELDS"


async def test_a_valid_document_is_remembered_once_not_once_per_request(
    client: httpx.AsyncClient,
) -> None:
    from probant_graphql.validation_cache import _valid

    document = "{ apiVersion __typename }"

    def remembered() -> int:
        return sum(1 for key in _valid if key[1] == document)

    await gql(client, document)
    assert remembered() == 1
    # The next requests find it (strawberry builds its extensions per request: a rule class
    # made per request would make every request a new key, and validate every time).
    for _ in range(3):
        await gql(client, document)
    assert remembered() == 1
