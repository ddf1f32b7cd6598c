"""Requests per second of the API against its own `/healthz` (run by `make bench`).

Starts `probant serve` (1 process, then `--workers N` when BENCH_WORKERS > 1) on a fresh
database, seeds the demo law firm with sealed deposits, and drives 8 concurrent keep-alive
clients (a minimal HTTP/1.1 client on raw asyncio streams, so that the client costs little of
the two shared cores) against:

- `GET /healthz` (the framework's floor, the baseline of every ratio),
- `{ apiVersion }` anonymous,
- `{ creditBalance }` logged in with the session cookie,
- the dashboard page `deposits(first: 20) { … items { sha256 } }` logged in,
- the same page hand-written (`tests/benchmarks/floor_app.py`: Starlette + one SQL query as
  the application role with the tenant setting), served by its own single uvicorn process.

Rounds interleave the requests so that background load affects them alike; each ratio is a
request's rate over `/healthz`'s rate in the same round, and the reported ratio is the median
over rounds. Prints JSON. `BENCH_SECONDS` (default 4) is each measure's length,
`BENCH_ROUNDS` (default 3) the number of rounds. With `--profile`, the server runs under
pyinstrument while the logged-in requests run, and the flame summary is printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / r) for r in ("platform", "tenants", "graphql")] + [str(ROOT)]

from tests.evidence.rows import add_sealed_deposit  # noqa: E402

from probant_platform.db import Database, TenantScope, utcnow  # noqa: E402
from probant_tenants import models as _tenancy_models  # noqa: E402, F401  (the FK targets)

PROBANT = str(Path(sys.executable).parent / "probant")
CLIENTS = 8
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
DEPOSITS = 40

PAGE = (
    "{ deposits(first: 20) { edges { node { id reference title status createdAt "
    "items { sha256 } } } } }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class KeepAlive:
    """One HTTP/1.1 keep-alive connection (Content-Length or chunked responses)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def http_get(path: str, headers: dict[str, str] | None = None) -> bytes:
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return f"GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{extra}\r\n".encode()


def graphql_post(query: str, headers: dict[str, str] | None = None) -> bytes:
    body = json.dumps({"query": query}).encode()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return (
        f"POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of a server process and its children (uvicorn workers)."""
    if pid is None:
        return 0.0
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


async def drive(
    port: int, raw: bytes, seconds: float, check: Any, pid: int | None = None
) -> dict[str, float]:
    """CLIENTS keep-alive connections sending `raw` back to back for `seconds`; with `pid`,
    also the server's CPU milliseconds per request (what a busy machine does not distort)."""
    latencies: list[float] = []
    errors = 0
    failed: list[bytes] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        conn = KeepAlive(port)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status, body = await conn.request(raw)
                latencies.append(time.perf_counter() - start)
                if status != 200 or not check(body):
                    errors += 1
                    failed.append(body[:300])
        finally:
            conn.close()

    started, cpu = time.perf_counter(), cpu_seconds(pid)
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    latencies.sort()
    if failed:
        print(f"{errors} unexpected answers, first: {failed[0]!r}", file=sys.stderr)
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors,
        "server_cpu_ms": 1000 * cpu / max(1, len(latencies)),
    }


async def seed(owner_url: str, organisation_id: uuid.UUID, membership_id: uuid.UUID) -> None:
    """DEPOSITS sealed deposits of three items each for the organisation."""
    database = Database(owner_url, pool_size=1)
    now = utcnow()
    try:
        async with database.unit_of_work(TenantScope(organisation_id=organisation_id)) as s:
            for n in range(DEPOSITS):
                await add_sealed_deposit(
                    s,
                    organisation_id=organisation_id,
                    membership_id=membership_id,
                    reference_prefix="PRB-B",
                    title=f"Dépôt {n}",
                    created_at=now + timedelta(hours=1) - timedelta(minutes=n),  # newest first
                    items=3,
                )
    finally:
        await database.dispose()


async def wait_ready(port: int, path: str = "/readyz") -> None:
    deadline = time.monotonic() + 120  # imports are slow on a busy machine
    while time.monotonic() < deadline:
        try:
            conn = KeepAlive(port)
            status, _ = await conn.request(http_get(path))
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"server on port {port} never became ready")


async def log_in(port: int, email: str, password: str) -> str:
    """The session cookie header value for the account."""
    query = "mutation { logIn(email: EMAIL, password: PASSWORD) { __typename } }"
    query = query.replace("EMAIL", json.dumps(email)).replace("PASSWORD", json.dumps(password))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        graphql_post(query).replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nconnection: close\r\n", 1)
    )
    response = await reader.read()
    writer.close()
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    cookies = [
        line.split(":", 1)[1].strip().split(";", 1)[0]
        for line in head.split("\r\n")
        if line.lower().startswith("set-cookie:")
    ]
    session = [c for c in cookies if c.startswith("probant_session=")]
    if not session:
        raise RuntimeError(f"log-in failed: {response[:400]!r}")
    return session[0]


def start_server(env: dict[str, str], port: int, workers: int, profile: Path | None) -> Any:
    command = [PROBANT, "serve", "--port", str(port), "--workers", str(workers)]
    if profile is not None:
        command = [sys.executable, str(Path(__file__).with_name("profile_server.py"))]
        command += [str(port), str(profile)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: Any) -> None:
    process.send_signal(2)  # SIGINT: pyinstrument writes its report, uvicorn shuts down
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def measure_server(
    port: int, pid: int, floor: tuple[int, int] | None, cookie: str
) -> dict[str, Any]:
    auth = {"cookie": cookie}
    requests: dict[str, tuple[int, bytes, Any]] = {
        "healthz": (port, http_get("/healthz"), lambda b: True),
        "apiVersion anonymous": (
            port,
            graphql_post("{ apiVersion }"),
            lambda b: b'"apiVersion"' in b,
        ),
        "creditBalance logged in": (
            port,
            graphql_post("{ creditBalance }", auth),
            lambda b: b'"creditBalance":' in b and b'"errors"' not in b,
        ),
        "dashboard page (GraphQL)": (
            port,
            graphql_post(PAGE, auth),
            lambda b: b.count(b'"sha256"') == 60 and b'"errors"' not in b,
        ),
    }
    if floor is not None:
        floor_port, floor_pid = floor
        requests["dashboard page (hand-written floor)"] = (
            floor_port,
            http_get("/deposits?first=20"),
            lambda b: b.count(b'"sha256"') == 60,
        )
    for p, raw, _check in requests.values():  # warm up every path and cache
        await drive(p, raw, 0.5, lambda b: True)
    rounds: list[dict[str, dict[str, float]]] = []
    for _ in range(ROUNDS):
        rounds.append(
            {
                name: await drive(p, raw, SECONDS, check, pid if p == port else floor_pid)
                for name, (p, raw, check) in requests.items()
            }
        )
    report: dict[str, Any] = {}
    for name in requests:
        per_round = [r[name] for r in rounds]
        report[name] = {
            "rps": round(statistics.median(r["rps"] for r in per_round), 1),
            "ratio_to_healthz": round(
                statistics.median(r[name]["rps"] / r["healthz"]["rps"] for r in rounds), 3
            ),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in per_round), 1),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in per_round), 1),
            "server_cpu_ms_per_request": round(
                statistics.median(r["server_cpu_ms"] for r in per_round), 2
            ),
            # /healthz's CPU per request over this one's: the throughput ratio a server
            # bound by its own CPU would show, whatever else the machine runs.
            "cpu_ratio_to_healthz": round(
                statistics.median(
                    r["healthz"]["server_cpu_ms"] / max(r[name]["server_cpu_ms"], 1e-6)
                    for r in rounds
                ),
                3,
            ),
            "errors": sum(int(r["errors"]) for r in per_round),
        }
    if floor is not None:
        report["graphql_page_over_floor"] = round(
            statistics.median(
                r["dashboard page (GraphQL)"]["rps"]
                / r["dashboard page (hand-written floor)"]["rps"]
                for r in rounds
            ),
            3,
        )
        report["graphql_page_over_floor_by_cpu"] = round(
            statistics.median(
                r["dashboard page (hand-written floor)"]["server_cpu_ms"]
                / r["dashboard page (GraphQL)"]["server_cpu_ms"]
                for r in rounds
            ),
            3,
        )
    return report


@dataclass
class BenchDatabase:
    """A fresh database with the demo and DEPOSITS sealed deposits (see `bench_database`)."""

    owner_url: str
    env: dict[str, str]  # the environment `probant serve` and the floor run with
    data: Path
    owner: dict[str, Any]  # the demo law firm's owner account (email, password)
    organisation_id: uuid.UUID


@asynccontextmanager
async def bench_database() -> AsyncIterator[BenchDatabase]:
    """Create, migrate and seed a database on the machine's PostgreSQL; drop it on exit."""
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
    data = Path(tempfile.mkdtemp(prefix="probant-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "PROBANT_DATA_DIR": str(data),
        "PROBANT_LOG_LEVEL": "WARNING",
    }
    try:
        subprocess.run([PROBANT, "migrate"], env=env, check=True, capture_output=True)
        demo = subprocess.run(
            [PROBANT, "demo", "--json"], env=env, check=True, capture_output=True, text=True
        ).stdout
        accounts = json.loads(demo[demo.index("{\n") :])  # after the seeding's log lines
        owner = next(
            a for a in accounts["accounts"] if a["kind"] == "LAW_FIRM" and a["role"] == "OWNER"
        )
        owner_engine = create_engine(owner_url.replace("postgresql://", "postgresql+psycopg://"))
        with owner_engine.connect() as conn:
            organisation_id, membership_id = conn.execute(
                text(
                    "SELECT m.organisation_id, m.id FROM memberships m JOIN users u "
                    "ON u.id = m.user_id WHERE u.email = :e AND m.role = 'OWNER'"
                ),
                {"e": owner["email"]},
            ).one()
        owner_engine.dispose()
        await seed(owner_url, organisation_id, membership_id)
        yield BenchDatabase(owner_url, env, data, owner, organisation_id)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def start_floor(bench: BenchDatabase) -> tuple[Any, int]:
    """The hand-written floor (floor_app.py) in its own uvicorn process: (process, port)."""
    floor_port = free_port()
    floor = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "--app-dir",
            str(ROOT / "tests" / "benchmarks"),
            "--port",
            str(floor_port),
            "--log-level",
            "warning",
            "--no-access-log",
            "floor_app:app",
        ],
        env={
            **bench.env,
            "BENCH_TENANT_ID": str(bench.organisation_id),
            "PYTHONPATH": os.pathsep.join(
                str(ROOT / r) for r in ("platform", "tenants", "graphql")
            ),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await wait_ready(floor_port, "/healthz")
    except BaseException:
        stop(floor)
        raise
    return floor, floor_port


async def main(profile: bool) -> dict[str, Any]:
    async with bench_database() as bench:
        return await _main(bench, profile)


async def _main(bench: BenchDatabase, profile: bool) -> dict[str, Any]:
    env, data, owner = bench.env, bench.data, bench.owner
    processes: list[Any] = []
    try:
        floor, floor_port = await start_floor(bench)
        processes.append(floor)

        report: dict[str, Any] = {"clients": CLIENTS, "seconds": SECONDS, "rounds": ROUNDS}
        worker_counts = [1]
        extra = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
        if extra > 1 and not profile:
            worker_counts.append(extra)
        for workers in worker_counts:
            port = free_port()
            env["PROBANT_BASE_URL"] = f"http://127.0.0.1:{port}"
            flame = data / "profile.txt" if profile else None
            server = start_server(env, port, workers, flame)
            processes.append(server)
            await wait_ready(port)
            cookie = await log_in(port, owner["email"], owner["password"])
            if profile:
                auth = {"cookie": cookie}
                # BENCH_PROFILE=page profiles the dashboard page, else `{ creditBalance }`
                query = PAGE if os.environ.get("BENCH_PROFILE") == "page" else "{ creditBalance }"
                await drive(port, graphql_post(query, auth), SECONDS, lambda b: True)
                stop(server)
                processes.remove(server)
                report["profile"] = flame.read_text() if flame and flame.exists() else None
                return report
            report[f"{workers} process(es)"] = await measure_server(
                port, server.pid, (floor_port, floor.pid) if workers == 1 else None, cookie
            )
            stop(server)
            processes.remove(server)
        if len(worker_counts) == 2:
            one, many = (report[f"{n} process(es)"] for n in worker_counts)
            report["N_over_1_processes"] = {
                name: round(many[name]["rps"] / one[name]["rps"], 2)
                for name in many
                if isinstance(many[name], dict) and name in one
            }
        return report
    finally:
        for process in processes:
            stop(process)


if __name__ == "__main__":
    result = asyncio.run(main(profile="--profile" in sys.argv))
    if result.get("profile"):
        print(result.pop("profile"))
    print(json.dumps(result, indent=2, ensure_ascii=False))
