"""Fixtures of the storage tests: S3 is moto in server mode, a real HTTP endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.conftest import free_port


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
