"""Fixtures of the tenancy tests."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from tests.tenancy.isolation_world import World, build_world

from probant_platform.db import Database


@pytest.fixture
async def world(database: Database, client_factory: Callable[[], httpx.AsyncClient]) -> World:
    """Organisation A with something of every kind, B, offices X and Y (isolation_world.py)."""
    return await build_world(database, client_factory)
