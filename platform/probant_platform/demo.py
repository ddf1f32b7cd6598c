"""Demo data for `probant demo` and `make run`; each domain adds its part, idempotently."""

from __future__ import annotations

from typing import Any


async def seed_demo() -> list[dict[str, Any]]:
    """Create the demo organisations and return the accounts a person can log in with."""
    return []
