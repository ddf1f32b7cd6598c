"""The hand-written floor for the dashboard page (served by `api_requests.py`, never in prod).

Starlette and one SQL query: the twenty newest deposits of the tenant with their items'
SHA-256, as JSON built by PostgreSQL, read as the application role `probant_app` with the
tenant setting (so the same row-level-security policies apply). Each request is one
transaction: BEGIN, `set_config`, the query, COMMIT. It knows its tenant from
BENCH_TENANT_ID (it authenticates nobody: it is the floor, not a server).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from probant_platform.config import Settings
from probant_platform.db.roles import app_database_url

TENANT = os.environ["BENCH_TENANT_ID"]
QUERY = """
SELECT json_build_object('data', json_build_object('deposits', json_build_object('edges',
  coalesce(json_agg(json_build_object('node', json_build_object(
    'id', d.id, 'reference', d.reference, 'title', d.title, 'status', d.status,
    'createdAt', d.created_at,
    'items', (SELECT coalesce(json_agg(json_build_object('sha256', i.sha256)
                                        ORDER BY i.position), '[]'::json)
              FROM evidence_items i WHERE i.deposit_id = d.id))
  ) ORDER BY d.created_at DESC, d.id DESC), '[]'::json))))::text
FROM (SELECT * FROM deposits WHERE status <> 'DELETED'
      ORDER BY created_at DESC, id DESC LIMIT %s) d
"""
pool: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    url = app_database_url(os.environ["DATABASE_URL"], Settings())
    for _ in range(10):
        pool.put_nowait(await psycopg.AsyncConnection.connect(url.replace("+psycopg", "")))
    yield
    while not pool.empty():
        await pool.get_nowait().close()


async def deposits(request: Request) -> Response:
    first = min(int(request.query_params.get("first", "20")), 100)
    conn = await pool.get()
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('probant.tenant_id', %s, true)", (TENANT,))
            row = await (await conn.execute(QUERY, (first,))).fetchone()
    finally:
        pool.put_nowait(conn)
    assert row is not None
    return Response(row[0], media_type="application/json")


async def healthz(_request: Request) -> Response:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[Route("/deposits", deposits), Route("/healthz", healthz)], lifespan=lifespan
)
