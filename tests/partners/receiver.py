"""A local HTTP receiver for webhooks, and an independent Standard Webhooks verifier.

The verifier follows the specification (HMAC-SHA256 of `id.timestamp.body` with the
base64-decoded secret, `v1,` + base64 signatures separated by spaces), not our signer.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each request with the next planned reply (status, delay, extra headers)."""

    port: int = 0
    replies: list[tuple[int, float, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/probant"

    def plan(self, status: int, delay: float = 0.0, headers: dict[str, str] | None = None) -> None:
        self.replies.append((status, delay, headers or {}))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines if h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.received.append(Received(headers=headers, body=body))
        status, delay, extra = self.replies.pop(0) if self.replies else (200, 0.0, {})
        if delay:
            await asyncio.sleep(delay)
        extra_lines = "".join(f"{k}: {v}\r\n" for k, v in extra.items())
        head_out = f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n"
        writer.write(f"{head_out}{extra_lines}\r\nok".encode())
        try:
            await writer.drain()
            writer.close()
        except ConnectionError:
            pass


@asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver._serve, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.close()


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """Standard Webhooks verification, written from the specification."""
    message_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in headers["webhook-signature"].split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False
