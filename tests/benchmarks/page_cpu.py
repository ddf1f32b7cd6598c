"""CPU per dashboard page in one process, A/B against another checkout (issue 21).

`api_requests.py` measures rates with 8 clients over HTTP; on the shared two cores its CPU
figures move by ±20 % with the machine's load, more than a change to the page's resolvers.
This script calls the ASGI app directly (no HTTP, no client in the process), one request at a
time, and reads the process's CPU time over N requests: the steadier figure to compare two
versions of the code. It creates a database like `api_requests.py` (the demo, 40 sealed
deposits of 3 items), then runs the measure in a fresh process per version, alternating.

Usage: page_cpu.py [OTHER_CHECKOUT]  — with a checkout (e.g. `git archive <commit>`
extracted), its `platform/`, `tenants/` and `graphql/` are put first on PYTHONPATH for the
"other" runs. `BENCH_REQUESTS` (default 300) per measure, `BENCH_ROUNDS` (default 3).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUERIES = {
    "creditBalance": "{ creditBalance }",
    "page": (
        "{ deposits(first: 20) { edges { node { id reference title status createdAt "
        "items { sha256 } } } } }"
    ),
}


async def _call(app: Any, body: bytes, cookie: bytes | None) -> tuple[int, list[Any], bytes]:
    headers = [
        (b"host", b"localhost"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if cookie:
        headers.append((b"cookie", cookie))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0
    response_headers: list[Any] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, response_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers = message.get("headers", [])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, response_headers, b"".join(chunks)


async def measure(email: str, password: str, requests: int) -> dict[str, float]:
    from probant_platform.web.app import create_app

    app = create_app(configure_logs=False)
    async with app.router.lifespan_context(app):
        return await _measure(app, email, password, requests)


async def _measure(app: Any, email: str, password: str, requests: int) -> dict[str, float]:
    login = json.dumps(
        {
            "query": "mutation($e: String!, $p: String!) "
            "{ logIn(email: $e, password: $p) { __typename } }",
            "variables": {"e": email, "p": password},
        }
    ).encode()
    _, headers, answer = await _call(app, login, None)
    cookies = [v.split(b";", 1)[0] for k, v in headers if k.lower() == b"set-cookie"]
    cookie = b"; ".join(c for c in cookies if c.startswith(b"probant_session="))
    if not cookie:
        raise RuntimeError(f"log-in failed: {answer[:300]!r}")
    result: dict[str, float] = {}
    for name, query in QUERIES.items():
        body = json.dumps({"query": query}).encode()
        for _ in range(30):  # warm caches (validation, casbin, compiled SQL)
            status, _, answer = await _call(app, body, cookie)
            if status != 200 or b'"errors"' in answer:
                raise RuntimeError(f"{name}: {status} {answer[:300]!r}")
        started = time.process_time()
        for _ in range(requests):
            await _call(app, body, cookie)
        result[name] = (time.process_time() - started) / requests * 1000
        # Python function calls per request: deterministic, whatever the machine's load.
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            await _call(app, body, cookie)
        profile.disable()
        if os.environ.get("BENCH_STATS"):
            profile.dump_stats(f"{os.environ['BENCH_STATS']}.{name}")
        result[f"{name} calls"] = pstats.Stats(profile).total_calls / 10  # type: ignore[attr-defined]
    return result


def main(other: Path | None) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import api_requests as bench
    from sqlalchemy import create_engine, text

    server_url = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = server_url.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": tempfile.mkdtemp(prefix="probant-bench-"),
        "PROBANT_LOG_LEVEL": "WARNING",
    }
    try:
        subprocess.run([bench.PROBANT, "migrate"], env=env, check=True, capture_output=True)
        demo = subprocess.run(
            [bench.PROBANT, "demo", "--json"], env=env, check=True, capture_output=True, text=True
        ).stdout
        accounts = json.loads(demo[demo.index("{\n") :])
        owner = next(
            a for a in accounts["accounts"] if a["kind"] == "LAW_FIRM" and a["role"] == "OWNER"
        )
        engine = create_engine(owner_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            organisation_id, membership_id = conn.execute(
                text(
                    "SELECT m.organisation_id, m.id FROM memberships m JOIN users u "
                    "ON u.id = m.user_id WHERE u.email = :e AND m.role = 'OWNER'"
                ),
                {"e": owner["email"]},
            ).one()
        engine.dispose()
        asyncio.run(bench.seed(owner_url, organisation_id, membership_id))
        versions: dict[str, dict[str, str]] = {"this": env}
        if other is not None:
            path = os.pathsep.join(str(other / d) for d in ("platform", "tenants", "graphql"))
            versions["other"] = {**env, "PYTHONPATH": path}
        runs: dict[str, list[dict[str, float]]] = {v: [] for v in versions}
        requests = os.environ.get("BENCH_REQUESTS", "300")
        for round_ in range(int(os.environ.get("BENCH_ROUNDS", "3"))):
            order = list(versions.items())
            for version, version_env in order[::-1] if round_ % 2 else order:
                done = subprocess.run(
                    [sys.executable, __file__, "--measure", owner["email"], owner["password"]],
                    env={**version_env, "BENCH_REQUESTS": requests},
                    capture_output=True,
                    text=True,
                )
                if done.returncode:
                    raise RuntimeError(f"{version}: {done.stderr[-3000:]}")
                out = done.stdout
                runs[version].append(json.loads(out.strip().splitlines()[-1]))
        report = {
            version: {key: round(statistics.median(r[key] for r in found), 2) for key in found[0]}
            | {"runs": found}
            for version, found in runs.items()
        }
        print(json.dumps({"cpu_ms_per_request": report}, indent=2))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        found = asyncio.run(
            measure(sys.argv[2], sys.argv[3], int(os.environ.get("BENCH_REQUESTS", "300")))
        )
        print(json.dumps(found))
    else:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
