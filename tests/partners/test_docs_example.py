"""docs/partners.md's complete Python example, run as written against a real `probant serve`.

The code block is taken from the markdown and executed with the four constants it asks the
reader to fill (address, client id and secret, webhook secret). Its `on_webhook` answers a
local HTTP receiver registered as the organisation's endpoint; a clerk of the office accepts
the submission; the example's `main()` returns once the signed `submission.accepted` event
has arrived. A change of the API that breaks the example fails this test.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from tests.bailiffs.helpers import ACCEPT, CLAIM, QUEUE, choose_office, make_office
from tests.factories import gql, log_in, make_organisation
from tests.ledger_helpers import fund
from tests.partners.servers import probant_servers
from tests.partners.webhook_jobs import CREATE_ENDPOINT, webhook_queue

from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg

DOC = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
SECTION = "## 3. A complete example"


def example_code() -> str:
    """The first ```python block of the docs' example section."""
    section = DOC.read_text(encoding="utf-8").split(SECTION, 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, f"no Python example under {SECTION!r} in {DOC}"
    return found.group(1)


async def receiver(
    handle: Callable[[dict[str, str], bytes], Awaitable[int]], received: list[int]
) -> tuple[asyncio.Server, str]:
    """A plain HTTP/1.1 server answering each POST with what `handle` returns."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines if h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = await handle(headers, body)
        received.append(status)
        head_out = f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        writer.write(head_out.encode())
        with contextlib.suppress(ConnectionError):
            await writer.drain()
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/hooks/probant"


async def test_the_documented_partner_example_runs_to_the_accepted_webhook(
    owner_url: str, data_dir: Path, committed_database: Database, tmp_path: Path
) -> None:
    office = await make_office(committed_database, name="Étude Doc")
    owner = await make_organisation(committed_database, name="Cabinet Exemple")
    await fund(committed_database, owner.organisation_id, 5)
    code = example_code()
    namespace: dict[str, Any] = {"__name__": "partners_example"}
    # Our own documentation, run on purpose: it only defines functions and constants.
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102
    statuses: list[int] = []
    server, hook_url = await receiver(namespace["on_webhook"], statuses)
    queue = await webhook_queue(committed_database)
    with probant_servers(1, owner_url, data_dir, tmp_path / "logs") as [base]:
        async with (
            httpx.AsyncClient(base_url=base, timeout=30) as admin,
            httpx.AsyncClient(base_url=base, timeout=30) as clerk,
        ):
            await log_in(admin, owner)
            await choose_office(admin, office.node_id)
            created = await gql(
                admin,
                "mutation($n: String!, $s: [String!]!) { createApiClient(name: $n, scopes: $s) {"
                " ... on ApiClientSecret { clientSecret apiClient { clientId } } } }",
                {"n": "Logiciel Juris", "s": ["deposits:write", "bailiffs:submit"]},
            )
            endpoint = await gql(
                admin, CREATE_ENDPOINT, {"u": hook_url, "e": ["submission.accepted"]}
            )
            namespace.update(
                BASE=base,
                CLIENT_ID=created["createApiClient"]["apiClient"]["clientId"],
                CLIENT_SECRET=created["createApiClient"]["clientSecret"],
                WEBHOOK_SECRET=endpoint["createWebhookEndpoint"]["secret"],
            )
            await log_in(clerk, office.clerk)

            async def office_accepts() -> str:
                """The clerk takes the submission from the queue and accepts it; then the
                worker's webhook jobs run until the example has heard of it."""
                # The office is this test's own: whatever reaches its queue is the example's.
                # (polled over HTTP, as the office's page does: no event to wait on here)
                while not (edges := (await gql(clerk, QUEUE))["reviewQueue"]["edges"]):  # noqa: ASYNC110
                    await asyncio.sleep(0.3)
                submission = edges[0]["node"]["id"]
                await gql(clerk, CLAIM, {"s": submission})
                decided = await gql(clerk, ACCEPT, {"s": submission})
                assert decided["acceptDeposit"]["submission"]["status"] == "ACCEPTED", decided
                while not namespace["accepted"].is_set():
                    await queue.run_once()
                    await asyncio.sleep(0.2)
                return str(submission)

            example = asyncio.create_task(namespace["main"](photo_jpeg(seed=31)))
            office_side = asyncio.create_task(office_accepts())
            done, _ = await asyncio.wait(
                [example, office_side], timeout=300, return_when=asyncio.FIRST_EXCEPTION
            )
            for task in (example, office_side):
                if task not in done:
                    task.cancel()
                elif task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
            assert example in done and office_side in done, "the example never heard back"
    server.close()
    assert namespace["accepted"].is_set()
    assert statuses == [204]
