"""How many uploads may stream at once: per member and for the whole process.

An upload holds a slot (not a database connection) while its body arrives; when the slots
are taken the next one is refused at once with Retry-After, so slow clients cannot queue
up unbounded work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class NoSlot(Exception):
    """No slot is free; `code` and `status` are what the client sees."""

    def __init__(self, code: str, status: int):
        super().__init__(code)
        self.code, self.status = code, status


class UploadSlots:
    def __init__(self, *, per_user: int, total: int) -> None:
        self.per_user, self.total = per_user, total
        self._held: Counter[Hashable] = Counter()
        self._total = 0

    @property
    def in_use(self) -> int:
        """Uploads streaming now in this process."""
        return self._total

    @contextmanager
    def process(self) -> Iterator[None]:
        """One of the process's slots (503 UPLOADS_BUSY when all are taken)."""
        if self._total >= self.total:
            raise NoSlot("UPLOADS_BUSY", 503)
        self._total += 1
        try:
            yield
        finally:
            self._total -= 1

    @contextmanager
    def member(self, key: Hashable) -> Iterator[None]:
        """One of the member's slots (429 TOO_MANY_UPLOADS when all are taken)."""
        if self._held[key] >= self.per_user:
            raise NoSlot("TOO_MANY_UPLOADS", 429)
        self._held[key] += 1
        try:
            yield
        finally:
            self._held[key] -= 1
            if not self._held[key]:
                del self._held[key]
