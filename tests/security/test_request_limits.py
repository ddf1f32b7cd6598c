"""Attack: one client makes the server read and parse an unbounded GraphQL request.

Before the fix a 50 MB body was read whole and parsed (seconds of CPU, +158 MB per
request). The limit (PROBANT_GRAPHQL_MAX_BODY_BYTES, 1 MB by default) is now enforced
while the body streams in: an announced size over it is refused before any byte is read,
and an unannounced (chunked) body is cut off as soon as it passes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from tests.factories import gql
from tests.security.helpers import AppFactory, ClientFactory

from probant_platform.config import Settings

MB = 1_000_000


class Sender:
    """A request body sent chunk by chunk, counting what the server pulled."""

    def __init__(self, chunks: int, size: int):
        self.chunks, self.size, self.sent = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.sent += 1
            yield b" " * self.size


def _too_large(response: httpx.Response) -> bool:
    return (
        response.status_code == 413
        and response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    )


async def test_the_default_limit_is_one_megabyte() -> None:
    assert Settings.model_fields["graphql_max_body_bytes"].default == MB


async def test_an_announced_50_mb_body_is_refused_before_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    body = Sender(chunks=50, size=MB)
    response = await client.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "content-length": str(50 * MB)},
    )
    assert _too_large(response)
    assert body.sent <= 1


async def test_an_unannounced_body_is_cut_off_at_the_limit(client: httpx.AsyncClient) -> None:
    body = Sender(chunks=80, size=64_000)  # 5.1 MB, chunked
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert _too_large(response)
    assert body.sent <= MB // 64_000 + 1


async def test_large_variables_and_get_queries_are_refused_too(
    make_app: AppFactory, make_client: ClientFactory
) -> None:
    client = make_client(make_app(PROBANT_GRAPHQL_MAX_BODY_BYTES=4_096))
    # A small query is served…
    assert (await gql(client, "{ __typename }"))["__typename"] == "Query"
    # …but not with 5 KB of variables, nor as a 5 KB GET
    padded = {"query": "{ __typename }", "variables": {"padding": "x" * 5_000}}
    assert _too_large(await client.post("/graphql", json=padded))
    long_get = await client.get("/graphql", params={"query": "{ __typename }" + " " * 5_000})
    assert _too_large(long_get)


@pytest.mark.parametrize("path", ["/api/v1/capture-tokens", "/webhooks/stripe"])
async def test_the_small_json_endpoints_stop_reading_at_their_own_limit(
    client: httpx.AsyncClient, path: str
) -> None:
    body = Sender(chunks=80, size=64_000)  # chunked: no length to refuse it by
    headers = {"content-type": "application/json", "authorization": "Bearer sk_unknown"}
    response = await client.post(path, content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "REQUEST_TOO_LARGE"
    assert body.sent <= 10
