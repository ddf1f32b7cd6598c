"""Embedding the widget: keys, minting capture tokens, what a token may do, and CORS."""

from __future__ import annotations

import httpx
import pytest
from tests.embedding.helpers import INTRANET, create_keys, mint
from tests.evidence.capture_flow import START, capture_one
from tests.factories import Role, add_member, gql_raw, make_organisation

from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg


async def test_a_company_backend_mints_a_token_that_can_capture_and_nothing_else(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    member = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, backend, browser = client_factory(), client_factory(), client_factory()  # type: ignore[operator]
    embedding = await create_keys(admin, owner)

    minted = await mint(backend, embedding, member.email)
    assert minted.status_code == 201, minted.text
    token = minted.json()["capture_token"]
    assert token.startswith("pct_")
    browser.headers.update({"authorization": f"Bearer {token}", "origin": INTRANET})

    started = await gql_raw(browser, START, {"kind": "PHOTOS"})
    session = started["data"]["startCapture"]["captureSession"]
    upload = await capture_one(browser, session["id"], photo_jpeg())
    assert upload.status_code == 201
    assert upload.headers["access-control-allow-origin"] == INTRANET

    viewer = await gql_raw(browser, "{ viewer { user { email } } }")
    archive = await gql_raw(browser, "{ deposits { edges { node { id } } } }")
    node = await gql_raw(
        browser, "query($id: ID!) { node(id: $id) { id } }", {"id": session["deposit"]["id"]}
    )
    transfer = await gql_raw(browser, 'mutation { createApiKey(name: "x") { __typename } }')
    assert viewer["data"]["viewer"] is None
    assert archive["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert node["data"]["node"] is None
    assert transfer["data"]["createApiKey"]["__typename"] == "NotAuthenticated"


async def test_a_token_used_from_another_origin_is_refused(
    database: Database, client_factory: object
) -> None:
    owner = await make_organisation(database)
    admin, browser = client_factory(), client_factory()  # type: ignore[operator]
    embedding = await create_keys(admin, owner)
    token = (await mint(admin, embedding, owner.email)).json()["capture_token"]
    browser.headers.update(
        {"authorization": f"Bearer {token}", "origin": "https://evil.example.net"}
    )
    result = await gql_raw(browser, START, {"kind": "PHOTOS"})
    assert result["data"]["startCapture"]["__typename"] == "NotAuthenticated"


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("bad-secret", 401, "INVALID_API_KEY"),
        ("other-org-member", 422, "MEMBER_NOT_ALLOWED"),
        ("unverified", 422, "MEMBER_NOT_ALLOWED"),
        ("unknown-widget-key", 403, "INVALID_WIDGET_KEY"),
    ],
)
async def test_minting_refuses_bad_requests(
    database: Database, client: httpx.AsyncClient, case: str, status: int, code: str
) -> None:
    owner = await make_organisation(database)
    embedding = await create_keys(client, owner)
    email, secret = owner.email, None
    if case == "bad-secret":
        secret = "sk_" + "x" * 40
    elif case == "other-org-member":
        email = (await make_organisation(database)).email
    elif case == "unverified":
        email = (await add_member(database, owner, role=Role.CLIENT, verified=False)).email
    elif case == "unknown-widget-key":
        embedding = type(embedding)("pk_unknown", embedding.secret)
    response = await mint(client, embedding, email, secret)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


async def test_a_revoked_api_key_mints_nothing(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    embedding = await create_keys(client, owner)
    keys = await gql_raw(client, "{ apiKeys { id prefix } }")
    key_id = keys["data"]["apiKeys"][0]["id"]
    assert embedding.secret.startswith(keys["data"]["apiKeys"][0]["prefix"])
    await gql_raw(
        client, "mutation($id: ID!) { revokeKey(id: $id) { __typename } }", {"id": key_id}
    )
    assert (await mint(client, embedding, owner.email)).status_code == 401


async def test_cors_preflight_answers_only_allowed_origins(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    await create_keys(client, owner, origins=["https://intranet.example.com:8443"])
    preflight = {
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization",
    }
    allowed = await client.options(
        "/uploads/x", headers={"origin": "https://intranet.example.com:8443", **preflight}
    )
    denied = await client.options(
        "/graphql", headers={"origin": "https://evil.example.net", **preflight}
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://intranet.example.com:8443"
    assert "PUT" in allowed.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in allowed.headers
    assert denied.status_code == 403 and "access-control-allow-origin" not in denied.headers


@pytest.mark.parametrize(
    "origin",
    [
        "http://intranet.example.com",
        "ftp://x.example.com",
        "https://a.example.com/path",
        "not a url",
    ],
)
async def test_bad_origins_are_refused_when_creating_a_widget_key(
    database: Database, client: httpx.AsyncClient, origin: str
) -> None:
    owner = await make_organisation(database)
    from tests.factories import gql, log_in

    await log_in(client, owner)
    data = await gql(
        client,
        "mutation($o: [String!]!) { createWidgetKey(allowedOrigins: $o) { __typename } }",
        {"o": [origin]},
    )
    assert data["createWidgetKey"]["__typename"] == "InvalidInput"


async def test_a_collaborator_cannot_create_keys(
    database: Database, client: httpx.AsyncClient
) -> None:
    owner = await make_organisation(database)
    colleague = await add_member(database, owner, role=Role.COLLABORATOR)
    from tests.factories import gql, log_in

    await log_in(client, colleague)
    data = await gql(client, 'mutation { createApiKey(name: "x") { __typename } }')
    assert data["createApiKey"]["__typename"] == "NotAllowed"
