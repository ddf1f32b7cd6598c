"""Automatic persisted queries by SHA-256, and an organisation's allow-list for its partners."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx
from tests.factories import gql, log_in, make_organisation
from tests.partners.helpers import bearer, register_client, token_for

from probant_platform.db import Database

Factory = Callable[[], httpx.AsyncClient]
BALANCE = "query Balance { creditBalance }"
VIEWER = "query Me { viewer { organisation { name } } }"


def _hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def _post(http: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await http.post("/graphql", json=body)


def _apq(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": _hash(query)}}


async def test_a_query_is_sent_once_then_by_its_hash(
    database: Database, client_factory: Factory
) -> None:
    owner = await make_organisation(database, name="Cabinet APQ")
    member = client_factory()
    await log_in(member, owner)
    unknown = (await _post(member, extensions=_apq(VIEWER))).json()
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = (await _post(member, query=VIEWER, extensions=_apq(VIEWER))).json()
    assert registered["data"]["viewer"]["organisation"]["name"] == "Cabinet APQ"
    by_hash = (await _post(member, extensions=_apq(VIEWER))).json()
    assert by_hash == registered
    forged = await _post(member, query=BALANCE, extensions=_apq(VIEWER))
    assert forged.status_code == 400
    assert forged.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_an_allow_list_limits_partners_to_listed_documents(
    database: Database, client_factory: Factory
) -> None:
    owner = await make_organisation(database)
    admin = client_factory()
    await log_in(admin, owner)
    credentials = await register_client(admin, ["credits:read"])
    partner = bearer(client_factory(), await token_for(client_factory(), credentials))
    saved = await gql(
        admin,
        "mutation($q: [String!]!) { setQueryAllowList(enabled: true, queries: $q) { "
        "__typename ... on QueryAllowList { enabled hashes } } }",
        {"q": [BALANCE]},
    )
    assert saved["setQueryAllowList"] == {
        "__typename": "QueryAllowList",
        "enabled": True,
        "hashes": [_hash(BALANCE)],
    }
    assert (await _post(partner, extensions=_apq(BALANCE))).json()["data"] == {"creditBalance": 0}
    assert (await _post(partner, query=BALANCE)).json()["data"] == {"creditBalance": 0}
    refused = await _post(partner, query=VIEWER)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    # People of the organisation are not limited by its partner allow-list.
    assert (await _post(admin, query=VIEWER)).json()["data"]["viewer"]
    await gql(admin, "mutation { setQueryAllowList(enabled: false, queries: []) { __typename } }")
    assert (await _post(partner, query=VIEWER)).json()["data"]["viewer"]
