"""Partner test helpers: an organisation's admin registers an API client; the client gets tokens."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx
from tests.factories import gql

from probant_platform.partners.scopes import SCOPES

ALL_SCOPES = list(SCOPES)
CREATE = """
mutation($n: String!, $s: [String!]!) {
  createApiClient(name: $n, scopes: $s) {
    __typename
    ... on ApiClientSecret { clientSecret apiClient { id clientId scopes } }
    ... on InvalidInput { message field }
    ... on Error { message }
  }
}"""


@dataclass(frozen=True)
class Credentials:
    id: str
    client_id: str
    client_secret: str


async def register_client(
    admin: httpx.AsyncClient, scopes: list[str] | None = None, name: str = "Logiciel du cabinet"
) -> Credentials:
    created = (await gql(admin, CREATE, {"n": name, "s": scopes or ALL_SCOPES}))["createApiClient"]
    assert created["__typename"] == "ApiClientSecret", created
    return Credentials(
        id=created["apiClient"]["id"],
        client_id=created["apiClient"]["clientId"],
        client_secret=created["clientSecret"],
    )


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"authorization": f"Basic {raw}"}


async def request_token(
    http: httpx.AsyncClient, credentials: Credentials, **form: str
) -> httpx.Response:
    return await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        headers=basic(credentials.client_id, credentials.client_secret),
    )


async def token_for(http: httpx.AsyncClient, credentials: Credentials, scope: str = "") -> str:
    response = await request_token(http, credentials, **({"scope": scope} if scope else {}))
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def as_partner(
    http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole GraphQL response body for a bearer-token request (no cookies)."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    return body


def bearer(http: httpx.AsyncClient, token: str) -> httpx.AsyncClient:
    """`http` sending `token` on every request (and no cookie)."""
    http.headers["authorization"] = f"Bearer {token}"
    return http
