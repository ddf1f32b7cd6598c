"""The bounded pool in which media is decoded, off the event loop.

Decoding is where memory goes (an image is held whole, and a preview converts it again), so
at most `PROBANT_MEDIA_DECODE_WORKERS` files are decoded at once per process, each within
`ImageLimits`; the rest wait their turn. Size the pool from the memory limit
(docs/operations-limits.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import ParamSpec, TypeVar

from probant_platform.config import Settings
from probant_platform.evidence.media.inspect import ImageLimits

P = ParamSpec("P")
T = TypeVar("T")


class DecodingPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` in the pool without blocking the event loop."""
        return await asyncio.wrap_future(self._executor.submit(fn, *args, **kwargs))

    def run_blocking(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` in the pool from a thread that may wait (a storage check callback)."""
        return self._executor.submit(fn, *args, **kwargs).result()


@lru_cache
def _pool(workers: int) -> DecodingPool:
    return DecodingPool(workers)


def decoding_pool(settings: Settings) -> DecodingPool:
    """The process's pool for `settings` (one per size)."""
    return _pool(settings.media_decode_workers)


def image_limits(settings: Settings) -> ImageLimits:
    return ImageLimits(
        max_decoded_bytes=settings.image_max_decoded_mb * 1024 * 1024,
        max_aspect_ratio=settings.image_max_aspect_ratio,
    )
