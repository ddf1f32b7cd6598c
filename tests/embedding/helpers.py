"""Setting up an embedding: keys created by an admin through GraphQL, a token minted server-side."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from tests.factories import MemberInfo, gql, log_in

INTRANET = "https://intranet.example.com"


@dataclass(frozen=True)
class Embedding:
    public_key: str
    secret: str


async def create_keys(
    client: httpx.AsyncClient, owner: MemberInfo, origins: list[str] | None = None
) -> Embedding:
    await log_in(client, owner)
    widget = await gql(
        client,
        "mutation($o: [String!]!) { createWidgetKey(allowedOrigins: $o) { "
        "... on WidgetKeyPayload { widgetKey { publicKey allowedOrigins } } "
        "... on Error { message } } }",
        {"o": origins or [INTRANET]},
    )
    api = await gql(
        client, 'mutation { createApiKey(name: "intranet") { ... on ApiKeyCreated { secret } } }'
    )
    return Embedding(
        widget["createWidgetKey"]["widgetKey"]["publicKey"], api["createApiKey"]["secret"]
    )


async def mint(
    client: httpx.AsyncClient, embedding: Embedding, email: str, secret: str | None = None
) -> httpx.Response:
    return await client.post(
        "/api/v1/capture-tokens",
        json={"member_email": email, "widget_key": embedding.public_key},
        headers={"authorization": f"Bearer {secret or embedding.secret}"},
    )
