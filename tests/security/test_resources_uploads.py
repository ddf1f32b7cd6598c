"""Slow uploads cannot take the service down (issue 12, item 5).

Against a real uvicorn server with a small pool: uploads that announce 1 MB, send 4 bytes
and stall used to hold every pooled connection, so `creditBalance`, `logIn` and `/readyz`
failed after 30 s. An upload now holds a slot, not a connection; slots are bounded per
member and per process, and a stalled body is cut off.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from tests.evidence.capture_flow import stage, start
from tests.factories import Role, add_member, gql, log_in, make_organisation
from tests.support import free_port

from probant_platform.config import Settings
from probant_platform.db import Database

PROMPT = 5.0  # seconds: the pool's own timeout is 30


@contextmanager
def live_server(settings: Settings) -> Iterator[tuple[str, Any]]:
    """The real app under uvicorn, in a thread; yields its base URL and the app."""
    from probant_platform.web.app import create_app

    app = create_app(settings, configure_logs=False)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(20)


@asynccontextmanager
async def logged_in(base: str, member: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base, timeout=PROMPT) as client:
        await log_in(client, member)
        yield client


def slow_upload(base: str, client: httpx.AsyncClient, upload_url: str) -> socket.socket:
    """Announce 1 MB, send 4 bytes, then say nothing more."""
    target = urlsplit(upload_url)
    host, port = urlsplit(base).hostname, urlsplit(base).port
    sock = socket.create_connection((host, port))
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    request = (
        f"PUT {target.path}?{target.query} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: image/jpeg\r\nContent-Length: 1048576\r\n\r\nabcd"
    )
    sock.sendall(request.encode())
    return sock


def response_of(sock: socket.socket, timeout: float) -> str:
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


async def staged_urls(client: httpx.AsyncClient, count: int) -> list[str]:
    session = (await start(client))["captureSession"]
    return [(await stage(client, session["id"], b"abcd"))["uploadUrl"] for _ in range(count)]


async def wait_for(predicate: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


def streaming(app: Any) -> int:
    """Uploads the server is receiving now (to wait for the slow clients to be in)."""
    slots = getattr(app.state, "upload_slots", None)
    return 0 if slots is None else int(slots.in_use)


async def test_stalled_uploads_hold_no_database_connection(
    committed_database: Database, settings: Settings
) -> None:
    # Given a server with 2 pooled connections (4 with overflow) and an owner with 8 staged items
    owner = await make_organisation(committed_database)
    tuned = settings.model_copy(
        update={"db_pool_size": 2, "uploads_per_user": 8, "upload_read_timeout": 60.0}
    )
    with live_server(tuned) as (base, app), ExitStack() as sockets:
        async with logged_in(base, owner) as client:
            urls = await staged_urls(client, 8)

            # When 8 uploads announce 1 MB, send 4 bytes and stall
            for url in urls:
                sockets.callback(slow_upload(base, client, url).close)
            await wait_for(lambda: streaming(app) == 8)

            # Then the API, the login and the readiness probe still answer at once
            began = time.monotonic()
            balance = await gql(client, "{ creditBalance }")
            assert balance == {"creditBalance": 0}
            async with logged_in(base, owner):
                pass
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert time.monotonic() - began < PROMPT


async def test_concurrent_uploads_are_bounded_per_member_and_per_process(
    committed_database: Database, settings: Settings
) -> None:
    # Given a server allowing 2 uploads per member and 3 in all
    owner = await make_organisation(committed_database)
    other = await add_member(committed_database, owner, role=Role.ADMIN)
    tuned = settings.model_copy(
        update={"uploads_per_user": 2, "uploads_max": 3, "upload_read_timeout": 60.0}
    )
    with live_server(tuned) as (base, app), ExitStack() as sockets:
        async with logged_in(base, owner) as first, logged_in(base, other) as second:
            mine, theirs = await staged_urls(first, 3), await staged_urls(second, 2)
            for url in mine[:2]:
                sockets.callback(slow_upload(base, first, url).close)
            await wait_for(lambda: streaming(app) == 2)

            # When the owner starts a third upload
            third = slow_upload(base, first, mine[2])
            sockets.callback(third.close)

            # Then it is refused at once with a typed error and a Retry-After
            answer = response_of(third, PROMPT)
            assert answer.startswith("HTTP/1.1 429"), answer
            assert "retry-after: 5" in answer.lower()
            assert '"code":"TOO_MANY_UPLOADS"' in answer

            # And once the process holds 3, anyone's next upload waits its turn (503)
            sockets.callback(slow_upload(base, second, theirs[0]).close)
            await wait_for(lambda: streaming(app) == 3)
            busy = slow_upload(base, second, theirs[1])
            sockets.callback(busy.close)
            answer = response_of(busy, PROMPT)
            assert answer.startswith("HTTP/1.1 503"), answer
            assert '"code":"UPLOADS_BUSY"' in answer
            assert "retry-after" in answer.lower()


async def test_a_stalled_body_is_cut_off_with_408(
    committed_database: Database, settings: Settings
) -> None:
    owner = await make_organisation(committed_database)
    with live_server(settings.model_copy(update={"upload_read_timeout": 1.0})) as (base, _):
        async with logged_in(base, owner) as client:
            (url,) = await staged_urls(client, 1)
            sock = slow_upload(base, client, url)
            try:
                began = time.monotonic()
                answer = await asyncio.to_thread(response_of, sock, PROMPT)
            finally:
                sock.close()
    assert answer.startswith("HTTP/1.1 408"), answer
    assert '"code":"READ_TIMEOUT"' in answer
    assert time.monotonic() - began < 4
