"""Fixed-window counters in PostgreSQL: one UPSERT per check, shared by every API process.

The `limits` library keeps its counters in Redis, Memcached or MongoDB, none of which the
embedded default has; a one-minute window row per key is all this needs.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from probant_platform.db import Database

WINDOW_SECONDS = 60
_UPSERT = text(
    "INSERT INTO rate_limit_windows (key, window_start, used) VALUES (:k, :w, :c) "
    "ON CONFLICT (key, window_start) DO UPDATE SET used = rate_limit_windows.used + :c "
    "RETURNING used"
)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        """IETF RateLimit header fields, and Retry-After when refused."""
        values = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
            "RateLimit-Policy": f"{self.limit};w={WINDOW_SECONDS}",
        }
        if not self.allowed:
            values["Retry-After"] = str(self.reset_seconds)
        return values


async def consume(database: Database, *, key: str, limit: int, cost: int = 1) -> Verdict:
    """Count `cost` against `key` in the current minute, committed at once (not with the
    request's own transaction, which may roll back)."""
    now = time.time()
    start = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    async with database.unit_of_work() as session:
        used = (
            await session.execute(
                _UPSERT, {"k": key[:120], "w": datetime.fromtimestamp(start, UTC), "c": cost}
            )
        ).scalar_one()
        if random.random() < 0.01:  # old windows are worthless; sweep now and then
            await session.execute(
                text("DELETE FROM rate_limit_windows WHERE window_start < :t"),
                {"t": datetime.now(UTC) - timedelta(hours=1)},
            )
    reset = max(1, int(start + WINDOW_SECONDS - now + 0.999))
    return Verdict(
        allowed=used <= limit, limit=limit, remaining=max(0, limit - used), reset_seconds=reset
    )


def tightest(verdicts: list[Verdict]) -> Verdict:
    """The verdict to report: a refusal if any, else the one with the least room left."""
    refused = [v for v in verdicts if not v.allowed]
    pool = refused or verdicts
    return min(pool, key=lambda v: (v.remaining, -v.reset_seconds))
