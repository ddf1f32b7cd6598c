"""Hostile images are refused on their header, before any pixel is decoded (issue 12, item 7).

A 95 KB one-bit PNG of 1 × 49,000,000 pixels passed the megapixel limit and was decoded
whole; a few at once took gigabytes.
"""

from __future__ import annotations

import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psutil
import pytest
from tests.evidence.capture_flow import capture_one, start
from tests.factories import log_in, make_organisation

from probant_platform.config import Settings
from probant_platform.db import Database
from probant_platform.evidence.media.samples import photo_jpeg


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hostile_png(width: int, height: int, *, bit_depth: int = 1, color_type: int = 0) -> bytes:
    """A valid PNG of all-zero pixels: tiny on disk, huge once decoded."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_per_piece = max(1, (1 << 20) // len(row))
    pieces, left = [], height
    while left:
        count = min(rows_per_piece, left)
        pieces.append(compressor.compress(row * count))
        left -= count
    pieces.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(pieces))
        + _chunk(b"IEND", b"")
    )


@contextmanager
def peak_rss_growth() -> Iterator[list[int]]:
    """Sample this process's resident memory while the block runs; yields [peak growth]."""
    process = psutil.Process()
    baseline = process.memory_info().rss
    result = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result[0] = max(result[0], process.memory_info().rss - baseline)
            done.wait(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield result
    finally:
        done.set()
        sampler.join()


@pytest.fixture
async def owner_client(settings: Settings, database: Database) -> AsyncIterator[Any]:
    from probant_platform.web.app import create_app

    limited = settings.model_copy(update={"image_max_decoded_mb": 16})
    app = create_app(limited, database=database, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await log_in(client, await make_organisation(database))
        # Warm up (imports, first decode) so that the memory measured is the upload's own.
        session = (await start(client))["captureSession"]
        assert (await capture_one(client, session["id"], photo_jpeg(seed=1))).status_code == 201
        yield client


HOSTILE = {
    "one pixel wide, 49 million tall (95 KB)": (1, 49_000_000, 1, 0),
    "49 million wide, one pixel tall": (49_000_000, 1, 1, 0),
    "3000 × 3000 RGB: 27 MB decoded, over 16 MB": (3000, 3000, 8, 2),
}


@pytest.mark.parametrize("shape", HOSTILE.values(), ids=list(HOSTILE))
async def test_a_hostile_png_is_refused_quickly_without_decoding(
    owner_client: httpx.AsyncClient, shape: tuple[int, int, int, int]
) -> None:
    # Given a live capture and a tiny PNG whose header announces a huge decoded image
    width, height, depth, color = shape
    body = hostile_png(width, height, bit_depth=depth, color_type=color)
    assert len(body) < 200_000
    session = (await start(owner_client))["captureSession"]

    # When it is uploaded
    began = time.monotonic()
    with peak_rss_growth() as growth:
        response = await capture_one(owner_client, session["id"], body, "image/png")
    elapsed = time.monotonic() - began

    # Then it is refused with a typed error, at once, and the process did not balloon
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "IMAGE_TOO_LARGE"
    assert "trop grande" in response.json()["error"]["message"]
    assert elapsed < 3
    assert growth[0] < 20 * 1024 * 1024, f"RSS grew by {growth[0] / 1e6:.0f} MB"


async def test_an_ordinary_photo_still_passes_the_image_limits(
    owner_client: httpx.AsyncClient,
) -> None:
    session = (await start(owner_client))["captureSession"]
    response = await capture_one(owner_client, session["id"], photo_jpeg(seed=3))
    assert response.status_code == 201, response.text
