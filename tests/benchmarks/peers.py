"""The dashboard page side by side: PostGraphile, the hand-written floor and Probant
(`make bench-peers`; not part of `make test` nor `make bench`).

One database (created, migrated and seeded like `api_requests.py`: the demo plus 40 sealed
deposits of 3 items for the demo law firm), three single-process servers started in the same
run, the same 8 keep-alive clients (`api_requests.drive`) in interleaved rounds:

- PostGraphile 5 (amber preset + the connection-filter plugin, `peers/postgraphile/`) on
  Node 22 from the npm package `node`, connected as the application role `probant_app`; the
  tenant comes from a signed JWT and is set per request as `probant.tenant_id`, so the same
  row-level-security policies decide what it sees;
- the hand-written floor (`floor_app.py`: one SQL query as `probant_app` with the tenant
  setting, JSON built by PostgreSQL);
- `probant serve`, logged in as the law firm's owner (session cookie).

Each serves the 20 newest non-deleted deposits with id, reference, title, status, createdAt
and their stored items' sha256; the script asserts that the three answers carry the same
deposits (references, titles and statuses in order, the same item hashes) before measuring, and that
PostGraphile without a token sees no deposit at all (the policies apply to it).

The PostGraphile package is installed with `npm ci` into `$TMPDIR/probant-peers` (never into
the checkout), reinstalled only when its lock file changed. Prints JSON: requests per second,
p50/p99, the server's CPU per request (psutil, the whole process tree) and the ratios
Probant / PostGraphile and Probant / floor (medians over rounds, each ratio taken within a
round). `BENCH_SECONDS` (default 4) and `BENCH_ROUNDS` (default 3) as in `api_requests.py`.

With `--log-sql`, PostgreSQL logs every statement of the benchmark's database
(`log_statement = all` on that database only), each server answers the page once, a second
apart (the times are printed), and nothing is measured: the server's log then shows the
statements each one sends for the page.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_requests import (
    CLIENTS,
    PAGE,
    ROUNDS,
    SECONDS,
    BenchDatabase,
    KeepAlive,
    bench_database,
    drive,
    free_port,
    graphql_post,
    http_get,
    log_in,
    start_floor,
    start_server,
    stop,
    wait_ready,
)
from sqlalchemy import create_engine, text

from probant_platform.config import Settings
from probant_platform.db.roles import app_database_url

PEER_SOURCE = Path(__file__).resolve().parent / "peers" / "postgraphile"
PEER_DIR = Path(tempfile.gettempdir()) / "probant-peers"
PEER_FILES = ("package.json", "package-lock.json", "graphile.config.mjs", "server.mjs")

# The same page in PostGraphile's schema: `allDeposits` ordered like Probant's archive (newest
# first, the id breaking ties), DELETED ones filtered out, the stored items in Probant's order
# (captured_at, id; the floor orders them by position: the same items, since the seed captures
# a deposit's three at one instant, in another order, so the check compares them as sets).
POSTGRAPHILE_PAGE = (
    "{ allDeposits(first: 20, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], "
    'filter: { status: { notEqualTo: "DELETED" } }) { edges { node { id reference title '
    'status createdAt evidenceItemsByDepositId(orderBy: [CAPTURED_AT_ASC, ROW_ID_ASC], condition: { status: "STORED" }) '
    "{ nodes { sha256 } } } } } }"
)
NAMES = ("PostGraphile", "floor", "Probant")


def install_peer() -> Path:
    """`npm ci` the peer into PEER_DIR (when its lock changed); the Node 22 binary's path."""
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    lock = (PEER_SOURCE / "package-lock.json").read_bytes()
    stamp = PEER_DIR / "node_modules" / ".probant-lock"
    for name in PEER_FILES:
        shutil.copyfile(PEER_SOURCE / name, PEER_DIR / name)
    if not stamp.exists() or stamp.read_bytes() != lock:
        print(f"npm ci in {PEER_DIR} …", file=sys.stderr)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PEER_DIR,
            check=True,
            stdout=sys.stderr,
        )
        stamp.write_bytes(lock)
    node = PEER_DIR / "node_modules" / "node" / "bin" / "node"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 22:
        raise RuntimeError(f"PostGraphile 5 needs Node >= 22, got {version.stdout.strip()}")
    return node


def jwt_hs256(claims: dict[str, Any], secret: str) -> str:
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{part(signature)}"


def start_postgraphile(node: Path, bench: BenchDatabase, port: int, secret: str) -> Any:
    app_url = app_database_url(bench.owner_url, Settings(PROBANT_DATA_DIR=bench.data))
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
        "PEER_DATABASE_URL": app_url.replace("postgresql+psycopg://", "postgresql://"),
        "PEER_JWT_SECRET": secret,
        "PEER_PORT": str(port),
    }
    return subprocess.Popen(
        [str(node), str(PEER_DIR / "server.mjs")],
        cwd=PEER_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None,  # PostGraphile's own errors stay visible
    )


def deposits_of(name: str, body: bytes) -> list[tuple[str, str, str, list[str]]]:
    """(reference, title, status, sorted item hashes) of a page, whichever server answered."""
    answer = json.loads(body)
    if answer.get("errors"):
        raise AssertionError(f"{name} answered errors: {answer['errors']}")
    if name == "PostGraphile":
        edges = answer["data"]["allDeposits"]["edges"]
        items = [e["node"]["evidenceItemsByDepositId"]["nodes"] for e in edges]
    else:
        edges = answer["data"]["deposits"]["edges"]
        items = [e["node"]["items"] for e in edges]
    return [
        (
            e["node"]["reference"],
            e["node"]["title"],
            e["node"]["status"],
            sorted(i["sha256"] for i in it),
        )
        for e, it in zip(edges, items, strict=True)
    ]


async def once(port: int, raw: bytes) -> bytes:
    conn = KeepAlive(port)
    try:
        status, body = await conn.request(raw)
    finally:
        conn.close()
    if status != 200:
        raise AssertionError(f"port {port} answered {status}: {body[:300]!r}")
    return body


def summary(per_round: list[dict[str, float]]) -> dict[str, float]:
    return {
        "rps": round(statistics.median(r["rps"] for r in per_round), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in per_round), 1),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in per_round), 1),
        "server_cpu_ms_per_request": round(
            statistics.median(r["server_cpu_ms"] for r in per_round), 2
        ),
        "errors": sum(int(r["errors"]) for r in per_round),
    }


def ratio(rounds: list[dict[str, dict[str, float]]], a: str, b: str) -> dict[str, float]:
    """a's rate over b's within each round, and b's CPU per request over a's (medians)."""
    return {
        "by_rate": round(statistics.median(r[a]["rps"] / r[b]["rps"] for r in rounds), 3),
        "by_cpu": round(
            statistics.median(
                r[b]["server_cpu_ms"] / max(r[a]["server_cpu_ms"], 1e-6) for r in rounds
            ),
            3,
        ),
    }


def log_statements(owner_url: str) -> None:
    """Have PostgreSQL log every statement run in the benchmark's database (`--log-sql`)."""
    engine = create_engine(
        owner_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'"))
    engine.dispose()


async def main(log_sql: bool = False) -> dict[str, Any]:
    node = install_peer()
    async with bench_database() as bench:
        processes: list[Any] = []
        try:
            if log_sql:
                log_statements(bench.owner_url)
            floor, floor_port = await start_floor(bench)
            processes.append(floor)
            probant_port = free_port()
            bench.env["PROBANT_BASE_URL"] = f"http://127.0.0.1:{probant_port}"
            probant = start_server(bench.env, probant_port, 1, None)
            processes.append(probant)
            secret = secrets.token_urlsafe(32)
            peer_port = free_port()
            peer = start_postgraphile(node, bench, peer_port, secret)
            processes.append(peer)
            await wait_ready(probant_port)
            await wait_ready(peer_port, "/healthz")
            cookie = await log_in(probant_port, bench.owner["email"], bench.owner["password"])
            token = jwt_hs256(
                {
                    "organisation_id": str(bench.organisation_id),
                    "iat": int(time.time()),
                    "exp": int(time.time()) + 3600,
                },
                secret,
            )
            requests: dict[str, tuple[int, int, bytes]] = {
                "PostGraphile": (
                    peer_port,
                    peer.pid,
                    graphql_post(POSTGRAPHILE_PAGE, {"authorization": f"Bearer {token}"}),
                ),
                "floor": (floor_port, floor.pid, http_get("/deposits?first=20")),
                "Probant": (probant_port, probant.pid, graphql_post(PAGE, {"cookie": cookie})),
            }

            # The same page from all three, and PostGraphile under the policies.
            pages = {n: deposits_of(n, await once(p, raw)) for n, (p, _, raw) in requests.items()}
            reference = pages["Probant"]
            assert len(reference) == 20 and all(len(d[3]) == 3 for d in reference), reference
            for name, page in pages.items():
                assert page == reference, f"{name} serves another page: {page} != {reference}"
            anonymous = await once(peer_port, graphql_post(POSTGRAPHILE_PAGE))
            assert deposits_of("PostGraphile", anonymous) == [], anonymous[:300]

            def check(body: bytes) -> bool:
                return body.count(b'"sha256"') == 60 and b'"errors"' not in body

            if log_sql:  # one more page from each, a second apart, then no measure
                marks = {}
                for name, (port, _pid, raw) in requests.items():
                    await asyncio.sleep(1)
                    marks[name] = datetime.now(UTC).isoformat()
                    await once(port, raw)
                return {"database": bench.owner_url.rsplit("/", 1)[1], "page_requested_at": marks}
            for port, _pid, raw in requests.values():  # warm up (V8's JIT, caches, pools)
                await drive(port, raw, 2.0, check)
            rounds: list[dict[str, dict[str, float]]] = []
            for n in range(ROUNDS):
                order = list(NAMES[n % 3 :] + NAMES[: n % 3])  # each goes first once in 3
                result: dict[str, dict[str, float]] = {}
                for name in order:
                    port, pid, raw = requests[name]
                    result[name] = await drive(port, raw, SECONDS, check, pid)
                rounds.append(result)
        finally:
            for process in processes:
                stop(process)
    versions = json.loads((PEER_DIR / "node_modules" / "postgraphile" / "package.json").read_text())
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    return {
        "clients": CLIENTS,
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "postgraphile": versions["version"],
        "node": node_version.strip(),
        "probant_commit": subprocess.run(
            ["git", "-C", str(PEER_SOURCE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "same_page_checked": True,
        **{name: summary([r[name] for r in rounds]) for name in NAMES},
        "probant_over_postgraphile": ratio(rounds, "Probant", "PostGraphile"),
        "probant_over_floor": ratio(rounds, "Probant", "floor"),
        "postgraphile_over_floor": ratio(rounds, "PostGraphile", "floor"),
    }


if __name__ == "__main__":
    result = asyncio.run(main(log_sql="--log-sql" in sys.argv))
    print(json.dumps(result, indent=2, ensure_ascii=False))
