"""Nearest-office search among 5,000 offices (run by `make bench`; not part of the suite).

5,000 offices spread over metropolitan France; 300 searches for the 20 nearest from random
points of France, through `directory.nearest_offices` as the API runs it (as the application
role, row-level security on). Reports p50/p95 beside a `SELECT 1` baseline of the same run;
the target is p50 under 20 ms.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / r) for r in ("platform", "tenants", "graphql")]

from probant_platform.bailiffs.directory import nearest_offices  # noqa: E402
from probant_platform.bailiffs.geo import Point, haversine_km  # noqa: E402
from probant_platform.config import Settings  # noqa: E402
from probant_platform.db import Database, TenantScope  # noqa: E402
from probant_platform.db.migrate import migrate  # noqa: E402
from probant_platform.db.roles import app_database_url  # noqa: E402

OFFICES, SEARCHES = 5_000, 300
FRANCE = ((42.5, 51.0), (-4.5, 8.0))  # latitude, longitude ranges


def _point(rng: random.Random) -> tuple[float, float]:
    return rng.uniform(*FRANCE[0]), rng.uniform(*FRANCE[1])


def _seed(owner: str, rng: random.Random) -> None:
    """Offices written by the schema owner in one transaction (setup, not measured)."""
    engine = create_engine(owner.replace("postgresql://", "postgresql+psycopg://"))
    rows = []
    for n in range(OFFICES):
        lat, lon = _point(rng)
        rows.append({"id": uuid.uuid4(), "name": f"Étude {n}", "lat": lat, "lon": lon})
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisations (id, kind, name, locale, office_choice, "
                "capture_location_required, policy_version, created_at) "
                "VALUES (:id, 'BAILIFF_OFFICE', :name, 'fr', 'NEAREST', false, 1, now())"
            ),
            rows,
        )
        conn.execute(
            text(
                "INSERT INTO bailiff_offices (office_id, latitude, longitude, service_radius_km, "
                "accepts_deposits, created_at) VALUES (:id, :lat, :lon, 50, true, now())"
            ),
            rows,
        )
        conn.execute(text("ANALYZE organisations; ANALYZE bailiff_offices"))
    engine.dispose()


async def _timed(db: Database, points: list[tuple[float, float]], search: bool) -> list[float]:
    durations = []
    for lat, lon in points:
        started = time.perf_counter()
        async with db.unit_of_work(TenantScope(organisation_id=uuid.uuid4())) as session:
            if search:
                await session.execute(text("SELECT 1"))
            else:
                hits = await nearest_offices(session=session, origin=Point(lat, lon), first=20)
                assert len(hits) == 21
                distances = [h.distance_km for h in hits]
                assert distances == sorted(distances)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


async def _check_exact(db: Database, rng: random.Random) -> None:
    """The bounded search returns exactly what a full scan would (spot check)."""
    async with db.unit_of_work(TenantScope(organisation_id=uuid.uuid4())) as session:
        rows = (
            await session.execute(text("SELECT latitude, longitude FROM bailiff_offices"))
        ).all()
        for _ in range(20):
            origin = Point(*_point(rng))
            hits = await nearest_offices(session=session, origin=origin, first=20)
            full = sorted(haversine_km(origin, Point(r[0], r[1])) for r in rows)[:21]
            assert [round(h.distance_km or 0, 6) for h in hits] == [round(d, 6) for d in full]


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }


async def main() -> dict[str, object]:
    server = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner = server.rsplit("/", 1)[0] + f"/{name}"
    settings = Settings(_env_file=None, DATABASE_URL=owner, PROBANT_SECRET_KEY="bench" * 8)  # type: ignore[call-arg]
    rng = random.Random(7)
    try:
        migrate(owner, settings)
        _seed(owner, rng)
        db = Database(app_database_url(owner, settings), pool_size=2)
        try:
            await _check_exact(db, rng)
            points = [_point(rng) for _ in range(SEARCHES)]
            await _timed(db, points[:20], search=False)  # warm up
            baseline = _stats(await _timed(db, points, search=True))
            nearest = _stats(await _timed(db, points, search=False))
        finally:
            await db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return {
        "offices": OFFICES,
        "searches": SEARCHES,
        "baseline_select1_transaction": baseline,
        "nearest_20_offices": nearest,
        "target": "p50 < 20 ms",
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
