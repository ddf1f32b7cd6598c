"""Measures the resident memory of `probant serve` and `probant worker` under a small load.

Run: `.venv/bin/python tests/ops/measure_memory.py` (needs PostgreSQL on
$PROBANT_TEST_DATABASE_URL). It seeds the demo (sealed deposits: the worker closes a batch,
anchors it and renders signed certificates), sends a few hundred API requests, samples RSS
with psutil and prints the peaks. The numbers and the chart's requests/limits derived from
them are in docs/operations.md ("Sizing").
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROBANT = str(Path(sys.executable).with_name("probant"))
INTROSPECTION = "{ __schema { types { name fields { name type { name kind } } } } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mib(process: psutil.Process) -> float:
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        total += child.memory_info().rss
    return total / 2**20


def _pending_jobs(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo','doing')")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def main() -> None:
    server = os.environ.get(
        "PROBANT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"probant_mem_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="probant-mem-") as data:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PROBANT_DATA_DIR": data,
            "PROBANT_SECRET_KEY": "measure-" + "x" * 40,
            "PROBANT_BATCH_SECONDS": "1",
            "PROBANT_LOG_LEVEL": "WARNING",
        }
        subprocess.run([PROBANT, "migrate"], env=env, check=True, capture_output=True)
        port = _free_port()
        api = psutil.Popen(
            [PROBANT, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        worker = psutil.Popen(
            [PROBANT, "worker", "--concurrency", "4"], env=env, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            peaks["api_idle_mib"] = _rss_mib(api)
            peaks["worker_idle_mib"] = _rss_mib(worker)
            # The demo seals deposits: batches, anchors and certificates for the worker.
            subprocess.run([PROBANT, "demo"], env=env, check=True, capture_output=True)
            api_peak = worker_peak = 0.0
            with httpx.Client(base_url=base, timeout=30) as client:
                for i in range(300):
                    if i % 3 == 0:
                        client.post("/graphql", json={"query": INTROSPECTION})
                    else:
                        client.get("/readyz" if i % 3 == 1 else "/verify")
                    if i % 10 == 0:
                        api_peak = max(api_peak, _rss_mib(api))
                        worker_peak = max(worker_peak, _rss_mib(worker))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and _pending_jobs(url):
                worker_peak = max(worker_peak, _rss_mib(worker))
                time.sleep(0.5)
            peaks["api_peak_mib"] = max(api_peak, _rss_mib(api))
            peaks["worker_peak_mib"] = max(worker_peak, _rss_mib(worker))
            peaks["jobs_left"] = _pending_jobs(url)
        finally:
            for process in (api, worker):
                process.terminate()
                process.wait(30)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    print(json.dumps({k: round(v, 1) for k, v in peaks.items()}, indent=2))


if __name__ == "__main__":
    main()
