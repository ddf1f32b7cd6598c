"""Shared pieces of the suite that tests import (the root conftest uses them too): the test
secret key, a free local port, the test SMTP server's mailbox."""

from __future__ import annotations

import asyncio
import socket
from email.message import Message

TEST_SECRET = "test-secret-key-" + "x" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Mailbox:
    """Messages received by the test SMTP server."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def wait_for(self, count: int = 1, seconds: float = 10.0) -> list[Message]:
        for _ in range(int(seconds / 0.05)):
            if len(self.messages) >= count:
                return self.messages
            await asyncio.sleep(0.05)
        raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")
