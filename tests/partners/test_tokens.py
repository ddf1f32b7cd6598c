"""OAuth2 client credentials at /oauth/token: who gets a token, with which scopes, for how long."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet
from tests.factories import Role, add_member, gql, gql_raw, log_in, make_organisation
from tests.partners.helpers import (
    as_partner,
    basic,
    register_client,
    request_token,
    token_for,
)

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.partners import keys
from probant_platform.web.app import create_app

VIEWER = "{ viewer { organisation { id name } } }"


async def _admin(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> httpx.AsyncClient:
    owner = await make_organisation(database, name="Cabinet Lefèvre")
    admin = client_factory()
    await log_in(admin, owner)
    return admin


async def test_a_registered_client_gets_a_signed_token_that_acts_as_its_organisation(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    admin = await _admin(database, client_factory)
    credentials = await register_client(admin, ["deposits:read", "credits:read"])
    response = await request_token(client, credentials)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["scope"] == "deposits:read credits:read"
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert all("d" not in key for key in jwks["keys"])  # public halves only
    decoded = jwt.decode(body["access_token"], KeySet.import_key_set(jwks))
    assert decoded.header["alg"] == "ES256" and decoded.header["kid"] == jwks["keys"][0]["kid"]
    assert decoded.claims["client_id"] == credentials.client_id
    assert decoded.claims["exp"] - decoded.claims["iat"] == 900
    seen = await as_partner(client, body["access_token"], VIEWER)
    assert seen["data"]["viewer"]["organisation"]["name"] == "Cabinet Lefèvre"


async def test_client_secret_post_works_too(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    credentials = await register_client(await _admin(database, client_factory))
    response = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
        },
    )
    assert response.status_code == 200, response.text


async def test_bad_credentials_are_refused(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    credentials = await register_client(await _admin(database, client_factory))
    for headers in (
        basic(credentials.client_id, "pcs_wrong-secret"),
        basic("pc_nobody", "whatever"),
        {},
    ):
        response = await client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, headers=headers
        )
        assert response.status_code in (400, 401), headers
        assert response.json()["error"] == "invalid_client"


async def test_refusals_are_in_the_organisations_audit_log(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    admin = await _admin(database, client_factory)
    credentials = await register_client(admin)
    await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(credentials.client_id, "pcs_wrong-secret"),
    )
    await token_for(client, credentials)
    log = await gql(admin, "{ auditLog(first: 20) { edges { node { action target ip } } } }")
    events = [e["node"] for e in log["auditLog"]["edges"]]
    actions = [e["action"] for e in events if e["target"] == credentials.client_id]
    assert {"API_CLIENT_CREATED", "API_TOKEN_REFUSED", "API_TOKEN_ISSUED"} <= set(actions)
    assert "wrong-secret" not in str(events)


async def test_a_wrong_grant_type_is_refused(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    credentials = await register_client(await _admin(database, client_factory))
    for grant in ("password", "authorization_code", ""):
        response = await client.post(
            "/oauth/token",
            data={"grant_type": grant},
            headers=basic(credentials.client_id, credentials.client_secret),
        )
        assert response.status_code == 400, grant
        assert response.json()["error"] == "unsupported_grant_type"
    as_json = await client.post(
        "/oauth/token",
        json={"grant_type": "client_credentials"},
        headers=basic(credentials.client_id, credentials.client_secret),
    )
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"


async def test_scopes_can_be_narrowed_never_widened(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    credentials = await register_client(
        await _admin(database, client_factory), ["deposits:read", "deposits:write"]
    )
    narrowed = await request_token(client, credentials, scope="deposits:read")
    assert narrowed.status_code == 200 and narrowed.json()["scope"] == "deposits:read"
    for scope in ("credits:read", "deposits:read admin", "deposits:read credits:read"):
        widened = await request_token(client, credentials, scope=scope)
        assert widened.status_code == 400, scope
        assert widened.json()["error"] == "invalid_scope"


async def test_a_revoked_client_loses_its_secret_and_its_live_tokens_at_once(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    admin = await _admin(database, client_factory)
    credentials = await register_client(admin)
    token = await token_for(client, credentials)
    assert (await as_partner(client, token, VIEWER))["data"]["viewer"]
    revoked = await gql(
        admin,
        "mutation($i: ID!) { revokeApiClient(id: $i) { __typename "
        "... on ApiClientPayload { apiClient { revokedAt } } } }",
        {"i": credentials.id},
    )
    assert revoked["revokeApiClient"]["apiClient"]["revokedAt"]
    after = await as_partner(client, token, VIEWER)
    assert after["data"]["viewer"] is None
    assert (await request_token(client, credentials)).status_code == 401
    listed = await gql(admin, "{ apiClients { clientId revokedAt scopes } }")
    assert listed["apiClients"][0]["revokedAt"]


async def test_an_expired_token_is_refused(
    database: Database,
    client: httpx.AsyncClient,
    client_factory: Callable[[], httpx.AsyncClient],
    settings: Settings,
) -> None:
    credentials = await register_client(await _admin(database, client_factory))
    token = await token_for(client, credentials)
    keyset, kid, _ = keys.signing_keys(settings)
    claims = jwt.decode(token, keyset).claims
    past = int(time.time()) - 3600
    expired = jwt.encode(
        {"alg": "ES256", "kid": kid, "typ": "at+jwt"},
        {**claims, "iat": past - 900, "exp": past},
        keyset.get_by_kid(kid),
    )
    assert (await as_partner(client, expired, VIEWER))["data"]["viewer"] is None
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert (await as_partner(client, forged, VIEWER))["data"]["viewer"] is None


async def test_rotating_the_secret_refuses_the_old_one(
    database: Database, client: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    admin = await _admin(database, client_factory)
    credentials = await register_client(admin)
    rotated = await gql(
        admin,
        "mutation($i: ID!) { rotateApiClientSecret(id: $i) { __typename "
        "... on ApiClientSecret { clientSecret } } }",
        {"i": credentials.id},
    )
    new_secret = rotated["rotateApiClientSecret"]["clientSecret"]
    assert (await request_token(client, credentials)).status_code == 401
    renewed = type(credentials)(credentials.id, credentials.client_id, new_secret)
    assert (await request_token(client, renewed)).status_code == 200


async def test_only_owners_and_admins_register_clients_and_scopes_are_checked(
    database: Database, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    owner = await make_organisation(database)
    collaborator = await add_member(database, owner, role=Role.COLLABORATOR)
    admin, member = client_factory(), client_factory()
    await log_in(admin, owner)
    await log_in(member, collaborator)
    create = (
        'mutation($s: [String!]!) { createApiClient(name: "x", scopes: $s) { __typename '
        "... on InvalidInput { message } } }"
    )
    refused = await gql(member, create, {"s": ["deposits:read"]})
    assert refused["createApiClient"]["__typename"] == "NotAllowed"
    for scopes in ([], ["deposits:delete"]):
        bad = await gql(admin, create, {"s": scopes})
        assert bad["createApiClient"]["__typename"] == "InvalidInput", scopes
    listed = await gql_raw(member, "{ apiClients { id } }")
    assert listed["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"


async def test_token_requests_are_rate_limited(
    database: Database, app: Any, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    credentials = await register_client(await _admin(database, client_factory))
    # An address of its own: the per-address window is shared with every other token test.
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        # One-minute windows: a run that straddles a minute boundary may get a second window's
        # worth before the refusal, never more.
        statuses: list[int] = []
        refused = None
        for _ in range(61):
            response = await request_token(client, credentials)
            if response.status_code == 429:
                refused = response
                break
            statuses.append(response.status_code)
    assert refused is not None, statuses
    assert len(statuses) >= 30 and set(statuses) == {200}, statuses
    assert refused.json()["error"] == "slow_down"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["ratelimit-limit"] == "30"


async def test_key_rotation_keeps_live_tokens_valid_until_the_old_key_is_dropped(
    database: Database,
    client_factory: Callable[[], httpx.AsyncClient],
    settings: Settings,
    tmp_path: Path,
) -> None:
    isolated = settings.model_copy(update={"partner_jwks": tmp_path / "jwks.json"})
    first = keys.rotate(isolated)
    app = create_app(isolated, database=database, configure_logs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        admin = client_factory()
        await log_in(admin, await make_organisation(database))
        credentials = await register_client(admin)
        old = await token_for(http, credentials)
        assert jwt.decode(old, keys.signing_keys(isolated)[0]).header["kid"] == first
        second = keys.rotate(isolated)
        published = (await http.get("/.well-known/jwks.json")).json()
        assert [k["kid"] for k in published["keys"]][:2] == [second, first]
        new = await token_for(http, credentials)
        assert jwt.decode(new, keys.signing_keys(isolated)[0]).header["kid"] == second
        assert (await as_partner(http, old, VIEWER))["data"]["viewer"]
        keys.rotate(isolated)  # the first key is dropped now
        assert (await as_partner(http, old, VIEWER))["data"]["viewer"] is None
        assert (await as_partner(http, new, VIEWER))["data"]["viewer"]
